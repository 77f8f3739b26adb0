import "server-only";

import { env } from "@/lib/env";
import { openDbConnection, resolveDbTarget, type ConnectionOptions, type DbConnection } from "./adapter";
import { PrismaClient } from "./generated/client";

export interface Database {
  readonly prisma: PrismaClient;
  readonly connection: DbConnection;
  close(): Promise<void>;
}

/**
 * A Prisma Client plus its connection. `url`: a postgres:// URL, memory:// (fresh in-memory PGlite), or
 * undefined for the embedded PGlite under `${dataDir ?? "./data"}/pglite`. Nothing is opened before the
 * first query (or migration).
 */
export function createDatabase(url: string | undefined, dataDir?: string, options: ConnectionOptions = {}): Database {
  const connection = openDbConnection(resolveDbTarget(url, dataDir), options);
  const prisma = new PrismaClient({ adapter: connection.adapter });
  let closing: Promise<void> | undefined;
  return {
    prisma,
    connection,
    close() {
      closing ??= (async () => {
        try {
          await prisma.$disconnect();
        } finally {
          await connection.close();
        }
      })();
      return closing;
    },
  };
}

// One per process, kept on globalThis in production too: Next may evaluate this module once per bundle
// layer, and two embedded PGlite instances on the same files must never exist.
const globalForDb = globalThis as unknown as { pillboxDatabase?: Database };

/** The process-wide database (from DATABASE_URL / PILLBOX_DATA_DIR, pool of DATABASE_POOL_SIZE, DATABASE_CONNECT_TIMEOUT_MS). */
export function getDatabase(): Database {
  globalForDb.pillboxDatabase ??= createDatabase(process.env.DATABASE_URL, process.env.PILLBOX_DATA_DIR, {
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
  });
  return globalForDb.pillboxDatabase;
}

export const db: PrismaClient = getDatabase().prisma;

/** Closes the process-wide database (and frees the embedded database's lock). */
export async function disconnect(): Promise<void> {
  const database = globalForDb.pillboxDatabase;
  if (database) await database.close();
}

export { disconnect as disconnectDb };
export type { PrismaClient };
