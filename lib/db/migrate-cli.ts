import "server-only";

import { openDbConnection, resolveDbTarget, type DbConnection } from "./adapter";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";

/**
 * Applies pending migrations to the configured database (DATABASE_URL / PILLBOX_DATA_DIR), printing what
 * it does. For scripts: it reuses the process-wide client's connection if one exists, and otherwise opens
 * and closes its own, so the embedded database is free again for a `next start` spawned afterwards.
 */
export async function migrateDatabase(
  log: (message: string) => void = (message) => console.log(message),
): Promise<ApplyMigrationsResult> {
  // Set by ./client.ts, which is not imported here: importing it creates the process-wide client.
  const shared = (globalThis as { pillboxDatabase?: { connection: DbConnection } }).pillboxDatabase;
  const connection = shared?.connection ?? openDbConnection(resolveDbTarget());
  const started = Date.now();
  try {
    const result = await applyMigrations(connection, { log });
    if (result.applied.length > 0) {
      log(`database: applied ${result.applied.length} migration(s) in ${Date.now() - started} ms`);
    }
    return result;
  } finally {
    if (!shared) await connection.close();
  }
}
