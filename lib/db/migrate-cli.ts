import "server-only";

import { openDbConnection, resolveDbTarget, type DbConnection } from "./adapter";
import { applyMigrations, type ApplyMigrationsResult } from "./migrate";

/**
 * Applies pending migrations to the configured database (DATABASE_URL / PILLBOX_DATA_DIR), printing what
 * it does. It reuses the process-wide client's connection if one exists, and otherwise opens and closes
 * its own, so the embedded database is free again for a `next start` spawned afterwards.
 */
export async function migrateDatabase(
  log: (message: string) => void = (message) => console.log(message),
): Promise<ApplyMigrationsResult> {
  const target = resolveDbTarget(process.env.DATABASE_URL, process.env.PILLBOX_DATA_DIR);
  // An in-memory database lives only inside its client, so that one is migrated. Otherwise ./client is not
  // imported here: importing it creates the process-wide client, which would keep the embedded database.
  const shared =
    target.kind === "pglite" && !target.dataDir
      ? (await import("./client")).getDatabase()
      : (globalThis as { pillboxDatabase?: { connection: DbConnection } }).pillboxDatabase;
  const connection = shared?.connection ?? openDbConnection(target);
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
