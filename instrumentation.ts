const STOPPING_ERRORS = new Set(["EnvError", "SchemaVersionError", "MigrationError", "EmbeddedDatabaseInUseError"]);

/** Runs once when a server instance starts, before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { startServerInstance } = await import("@/lib/startup");
    await startServerInstance();
  } catch (error) {
    // A bad configuration, or a database this build cannot serve (newer, failed or missing
    // migrations, or an embedded database another process holds), stops the instance with a message
    // saying what to do, instead of leaving a server up that fails every request.
    if (error instanceof Error && STOPPING_ERRORS.has(error.name)) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
