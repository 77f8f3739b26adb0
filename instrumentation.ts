/** Runs once when a server instance starts, before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { startServerInstance } = await import("@/lib/startup");
    await startServerInstance();
  } catch (error) {
    // A bad configuration stops the instance with the message naming the variable, instead of
    // leaving a server up that fails every request.
    if (error instanceof Error && error.name === "EnvError") {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
