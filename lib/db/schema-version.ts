import "server-only";

import { db } from "./client";
import { MIGRATIONS_DIR, readMigrations } from "./migrate";

/** How the database's migration history compares with the migrations this build carries. */
export interface SchemaStatus {
  /** The migrations this build carries (prisma/migrations), oldest first. */
  known: string[];
  /** Known migrations the database does not have yet. */
  pending: string[];
  /** Migrations the database has that this build does not know: a newer Pillbox migrated it. */
  unknown: string[];
  /** Migrations that started and never finished (a failed `prisma migrate deploy`). */
  failed: string[];
}

/** The database's migrations do not match this build's; the server must not start on it. */
export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SchemaVersionError";
  }
}

// The folder never changes while the server runs: read it once.
let knownMigrations: Promise<string[]> | undefined;

async function readKnownMigrations(): Promise<string[]> {
  knownMigrations ??= readMigrations().then((files) => files.map((f) => f.name));
  try {
    return await knownMigrations;
  } catch (error) {
    knownMigrations = undefined; // read again next time
    throw error;
  }
}

export async function schemaStatus(): Promise<SchemaStatus> {
  const known = await readKnownMigrations();
  const [table] = await db.$queryRaw<{ present: boolean }[]>`
    SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`;
  const rows = table?.present
    ? await db.$queryRaw<{ name: string; finished: boolean }[]>`
        SELECT migration_name AS name, finished_at IS NOT NULL AS finished
        FROM _prisma_migrations WHERE rolled_back_at IS NULL`
    : [];
  const applied = new Set(rows.filter((r) => r.finished).map((r) => r.name));
  const knownSet = new Set(known);
  return {
    known,
    pending: known.filter((name) => !applied.has(name)),
    unknown: [...applied].filter((name) => !knownSet.has(name)).sort(),
    failed: rows.filter((r) => !r.finished).map((r) => r.name),
  };
}

/**
 * Refuses (SchemaVersionError) a database this build cannot serve: one a newer Pillbox migrated,
 * one with a failed migration, or one still missing migrations.
 */
export async function assertSchemaMatchesCode(): Promise<SchemaStatus> {
  const status = await schemaStatus();
  if (status.known.length === 0) {
    throw new SchemaVersionError(
      `This build has no migrations in ${MIGRATIONS_DIR}. Deploy the whole build output ` +
        "(.next/standalone includes prisma/migrations); refusing to start.",
    );
  }
  if (status.unknown.length > 0) {
    throw new SchemaVersionError(
      `The database is newer than this Pillbox (version ${process.env.PILLBOX_VERSION ?? "unknown"}): it has ` +
        `migration(s) this build does not know: ${status.unknown.join(", ")}. A newer Pillbox migrated it. ` +
        "Run that version (or a newer one), or restore the backup taken before the upgrade; refusing to start.",
    );
  }
  if (status.failed.length > 0) {
    throw new SchemaVersionError(
      `Migration(s) ${status.failed.join(", ")} failed in an earlier run and are marked as failed in ` +
        "_prisma_migrations. Repair the database, then mark them with `prisma migrate resolve`; refusing to start.",
    );
  }
  if (status.pending.length > 0) {
    throw new SchemaVersionError(
      `The database is missing ${status.pending.length} migration(s) this Pillbox needs ` +
        `(${status.pending.join(", ")}). Apply them with \`npm run db:migrate\`, or set ` +
        "PILLBOX_MIGRATE_ON_START=1 to apply them when the server starts; refusing to start.",
    );
  }
  return status;
}
