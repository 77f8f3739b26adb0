// Database connections for both backends: PostgreSQL (DATABASE_URL=postgres://…) and the embedded PGlite
// (DATABASE_URL unset: files under $PILLBOX_DATA_DIR/pglite; DATABASE_URL=memory://: in memory, for tests).
// A DbConnection provides the driver adapter for Prisma Client and single-connection sessions for migrations.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { acquirePidLock } from "./pglite-lock";

export { EmbeddedDatabaseInUseError } from "./pglite-lock";

export type DbTarget =
  | { kind: "postgres"; url: string }
  /** dataDir undefined = in-memory database */
  | { kind: "pglite"; dataDir: string | undefined };

type Row = Record<string, unknown>;

export interface SqlRunner {
  query<R extends Row = Row>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements (simple query protocol, no parameters). */
  exec(script: string): Promise<void>;
}

/** One database session (one connection), so advisory locks and transactions stay on it. */
export interface SqlSession extends SqlRunner {
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  release(): Promise<void>;
}

export interface DbConnection {
  readonly target: DbTarget;
  /** For `new PrismaClient({ adapter })`. Nothing is opened before the first query. */
  readonly adapter: SqlDriverAdapterFactory;
  session(): Promise<SqlSession>;
  close(): Promise<void>;
}

/** `url`, `dataDir`: the values of DATABASE_URL and PILLBOX_DATA_DIR (callers pass them; nothing is read here). */
export function resolveDbTarget(url: string | undefined, dataDir: string | undefined): DbTarget {
  const u = url?.trim();
  if (!u) return { kind: "pglite", dataDir: path.resolve(dataDir || "./data", "pglite") };
  if (u === "memory://" || u === "memory:") return { kind: "pglite", dataDir: undefined };
  if (/^postgres(ql)?:\/\//i.test(u)) return { kind: "postgres", url: u };
  throw new Error(
    `DATABASE_URL must be a postgres:// or postgresql:// URL (or memory:// for a throwaway database), got "${u.split(":")[0]}:…"`,
  );
}

export interface ConnectionOptions {
  /** PostgreSQL only: the most connections the Prisma Client's pool opens (pg's default: 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: how long opening a connection may take before the query fails (default 5 s).
   * pg's own default is to wait forever, so an unreachable database would hang every request.
   */
  connectTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

export function openDbConnection(target: DbTarget, options: ConnectionOptions = {}): DbConnection {
  return target.kind === "postgres" ? postgresConnection(target, options) : pgliteConnection(target);
}

function postgresConnection(
  target: { kind: "postgres"; url: string },
  { poolSize, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS }: ConnectionOptions,
): DbConnection {
  // Keep-alive probes find a connection whose server vanished without a word (a dead host, a cut
  // network); the pool drops a broken connection and opens a new one on the next query, so the
  // app recovers by itself once the database is back.
  const config = {
    connectionString: target.url,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  return {
    target,
    adapter: new PrismaPg({ ...config, ...(poolSize ? { max: poolSize } : {}) }),
    async session() {
      const client = new pg.Client(config);
      // A dropped connection then fails the pending query instead of crashing the process.
      client.on("error", () => {});
      await client.connect();
      const runner: SqlRunner = {
        async query<R extends Row>(sql: string, params?: unknown[]) {
          return (await client.query<R>(sql, params)).rows;
        },
        async exec(script) {
          await client.query(script);
        },
      };
      return {
        ...runner,
        async transaction(fn) {
          await client.query("BEGIN");
          try {
            const result = await fn(runner);
            await client.query("COMMIT");
            return result;
          } catch (error) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw error;
          }
        },
        release: () => client.end(),
      };
    },
    // The Prisma Client's pool is ended by $disconnect (the adapter owns it); sessions end themselves.
    async close() {},
  };
}

function pgliteRunner(db: Pick<Transaction, "query" | "exec">): SqlRunner {
  return {
    async query<R extends Row>(sql: string, params?: unknown[]) {
      return (await db.query<R>(sql, params)).rows;
    },
    async exec(script) {
      await db.exec(script);
    },
  };
}

function pgliteConnection(target: { kind: "pglite"; dataDir: string | undefined }): DbConnection {
  let opening: Promise<PGlite> | undefined;
  let releaseLock: (() => void) | undefined;
  let closed = false;

  async function openPGlite(): Promise<PGlite> {
    if (!target.dataDir) return (await import("./pglite-memory")).createMemoryPGlite();
    mkdirSync(target.dataDir, { recursive: true });
    releaseLock = acquirePidLock(target.dataDir);
    try {
      const db = new PGlite(target.dataDir);
      await db.waitReady;
      return db;
    } catch (error) {
      releaseLock();
      releaseLock = undefined;
      throw error;
    }
  }

  // Opened on first use: importing the client (e.g. during `next build`) must not take the lock.
  // A failed attempt (e.g. the lock is held) is retried by the next query.
  function open(): Promise<PGlite> {
    if (closed) return Promise.reject(new Error("the embedded database connection is closed"));
    if (!opening) {
      const attempt = openPGlite();
      opening = attempt;
      attempt.catch(() => {
        if (opening === attempt) opening = undefined;
      });
    }
    return opening;
  }

  const adapter: SqlDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    async connect(): Promise<SqlDriverAdapter> {
      return new PrismaPGlite(await open()).connect();
    },
  };

  return {
    target,
    adapter,
    async session() {
      const db = await open();
      return {
        ...pgliteRunner(db),
        // PGlite's own transaction() also holds its mutex, so Prisma queries cannot slip into it.
        transaction: (fn) => db.transaction((tx) => fn(pgliteRunner(tx))),
        async release() {},
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const pending = opening;
      opening = undefined;
      try {
        if (pending) await (await pending.catch(() => undefined))?.close();
      } finally {
        releaseLock?.();
        releaseLock = undefined;
      }
    },
  };
}
