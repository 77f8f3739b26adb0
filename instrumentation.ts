import type { Instrumentation } from "next";

const STOPPING_ERRORS = new Set(["EnvError", "SchemaVersionError", "MigrationError", "EmbeddedDatabaseInUseError"]);

/** Runs once when a server instance starts, before it serves requests. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    // Everything the server prints from here on is a JSON log line (lib/log.ts).
    const { captureConsole } = await import("@/lib/log");
    captureConsole();
    const { startServerInstance } = await import("@/lib/startup");
    await startServerInstance();
    // SIGTERM lets open replies finish (lib/server/shutdown.ts) instead of cutting them.
    const [{ handleSigterm }, { env }, { log }] = await Promise.all([
      import("@/lib/server/shutdown"),
      import("@/lib/env"),
      import("@/lib/log"),
    ]);
    handleSigterm({ graceMs: env.PILLBOX_SHUTDOWN_GRACE_MS, log });
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

/**
 * A page, server action or route handler that failed: one JSON log line with the request's id
 * (route handlers map their own errors and log them in lib/http/handler.ts).
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { log } = await import("@/lib/log");
  const requestId = request.headers["x-request-id"];
  log.error("request failed", {
    requestId: typeof requestId === "string" ? requestId : undefined,
    method: request.method,
    // The route's pattern, never the path: paths carry invite, reset and share tokens.
    routePath: context.routePath,
    routeType: context.routeType,
    err: error,
  });
};
