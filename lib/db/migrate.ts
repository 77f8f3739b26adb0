// Applies prisma/migrations/*/migration.sql and records them in `_prisma_migrations` the way Prisma Migrate
// does, so `prisma migrate status` / `deploy` agree with it. Differences from `prisma migrate deploy`, on
// purpose: each migration and its record are committed in one transaction (a failed migration leaves no
// trace and is simply retried next time), an applied migration whose file was edited is refused, and so is
// a pending one with its own transaction control or CONCURRENTLY (see ./migration-sql).
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { DbConnection, SqlSession } from "./adapter";
import { findForbiddenStatement } from "./migration-sql";

// (The turbopackIgnore comments keep Next from tracing the whole project if the app ever imports this.)
export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma", "migrations");

/** The advisory lock key Prisma Migrate uses, so this also excludes a concurrent `prisma migrate deploy`. */
const PRISMA_LOCK_KEY = 72707369;

// Verbatim from Prisma's schema engine (PostgreSQL connector).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  /** Directory name, e.g. `20250101000000_init`. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, as Prisma computes it. */
  checksum: string;
}

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
  /** How long to wait for another process that is migrating the same database. Default 5 minutes. */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

interface MigrationRow extends Record<string, unknown> {
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export function migrationChecksum(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Like Prisma, a file whose only change is CRLF <-> LF line endings still counts as unchanged. */
function checksumMatches(sql: string, checksum: string): boolean {
  return [sql, sql.replaceAll("\r\n", "\n"), sql.replaceAll("\n", "\r\n")].some((v) => migrationChecksum(v) === checksum);
}

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  let entries;
  try {
    entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      let bytes: Buffer;
      try {
        bytes = await readFile(/*turbopackIgnore: true*/ file);
      } catch (error) {
        throw new MigrationError(`migration ${name} has no readable migration.sql (${file})`, { cause: error });
      }
      return { name, sql: bytes.toString("utf8"), checksum: migrationChecksum(bytes) };
    }),
  );
}

/** Refuses (before anything is applied) a migration that would break the runner's one transaction per migration. */
function refuseForbiddenStatements(migration: MigrationFile): void {
  const found = findForbiddenStatement(migration.sql);
  if (!found) return;
  const why =
    found.keyword === "CONCURRENTLY"
      ? "CONCURRENTLY cannot run inside a transaction block; build the index (or drop or reindex it) without it"
      : `a migration's own ${found.keyword} would end or split that transaction, committing part of the migration ` +
        "without its record (or its record without the rest); remove it";
  throw new MigrationError(
    `refusing to apply migration ${migration.name}: its migration.sql has ${found.keyword} (line ${found.line}). ` +
      `Each migration runs in one transaction the runner owns, together with its _prisma_migrations record: ${why}.`,
  );
}

// Serialises runs within one process: on PGlite every caller shares one session, so the advisory lock
// (re-entrant per session) would not keep two concurrent calls apart.
const running = new WeakMap<DbConnection, Promise<unknown>>();

export function applyMigrations(connection: DbConnection, options: ApplyMigrationsOptions = {}): Promise<ApplyMigrationsResult> {
  const previous = running.get(connection) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => run(connection, options));
  running.set(connection, next);
  return next;
}

async function run(connection: DbConnection, options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => {});
  const files = await readMigrations(options.migrationsDir);
  const session = await connection.session();
  try {
    await lock(session, options.lockTimeoutMs ?? 300_000, log);
    try {
      return await applyPending(session, files, log);
    } finally {
      await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await session.release();
  }
}

async function lock(session: SqlSession, timeoutMs: number, log: (message: string) => void): Promise<void> {
  const [row] = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [PRISMA_LOCK_KEY]);
  if (row?.locked) return;
  log("waiting for another process to finish applying migrations…");
  await session.exec(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await session.query("SELECT pg_advisory_lock($1)", [PRISMA_LOCK_KEY]);
  } catch (error) {
    throw new MigrationError(
      `gave up after ${Math.round(timeoutMs / 1000)} s waiting for another process to finish migrating (advisory lock ${PRISMA_LOCK_KEY})`,
      { cause: error },
    );
  } finally {
    await session.exec("RESET lock_timeout");
  }
}

async function applyPending(
  session: SqlSession,
  files: MigrationFile[],
  log: (message: string) => void,
): Promise<ApplyMigrationsResult> {
  await session.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await session.query<MigrationRow>(
    "SELECT checksum, migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at ASC",
  );
  const live = rows.filter((r) => r.rolled_back_at === null);

  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration(s) ${failed.join(", ")} failed in an earlier run and are marked as failed in _prisma_migrations. ` +
        "Repair the database, then mark them with `prisma migrate resolve --rolled-back <name>` (or --applied).",
    );
  }

  const applied = new Map(live.map((r) => [r.migration_name, r.checksum]));
  const edited = files.filter((f) => applied.has(f.name) && !checksumMatches(f.sql, applied.get(f.name) ?? ""));
  if (edited.length > 0) {
    throw new MigrationError(
      `refusing to migrate: migration(s) ${edited.map((f) => f.name).join(", ")} were edited after being applied ` +
        "to this database (checksum mismatch). Restore the original migration.sql and put the change in a new " +
        "migration (npm run db:migration:new -- <name>).",
    );
  }

  const known = new Set(files.map((f) => f.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) {
    log(`warning: the database has migrations that are not in the migrations folder: ${unknown.join(", ")}`);
  }

  const pending = files.filter((f) => !applied.has(f.name));
  for (const migration of pending) refuseForbiddenStatements(migration);
  for (const migration of pending) {
    const started = Date.now();
    try {
      await session.transaction(async (tx) => {
        await tx.exec(migration.sql);
        await tx.query(
          `INSERT INTO _prisma_migrations
             (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
    }
    log(`applied migration ${migration.name} (${Date.now() - started} ms)`);
  }
  return {
    applied: pending.map((f) => f.name),
    alreadyApplied: files.filter((f) => applied.has(f.name)).map((f) => f.name),
  };
}
