// `npm run db:copy`: moves a stopped embedded workspace (PGlite) into an empty PostgreSQL database.
// Rows travel as JSON text (row_to_json on the way out, json_populate_recordset on the way in), so
// every type (timestamps, numeric, jsonb, arrays, bytea, enums) arrives exactly as it was, with no
// JavaScript conversion in between.
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDbConnection, type SqlRunner, type SqlSession } from "./adapter";
import { applyMigrations, readMigrations } from "./migrate";

export class DbCopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DbCopyError";
  }
}

export interface TableCheck {
  table: string;
  rows: number;
  /** Sums of the table's numeric columns, as PostgreSQL prints them. */
  sums: Record<string, string>;
}

export interface CopyResult {
  tables: TableCheck[];
  rows: number;
}

const MIGRATIONS_TABLE = "_prisma_migrations";
/** Rows sent to PostgreSQL in one INSERT at most (bytes of JSON), and rows read from PGlite per fetch. */
const BATCH_BYTES = 8 * 1024 * 1024;
const FETCH_ROWS = 50;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "****";
    return parsed.toString();
  } catch {
    return "postgresql://…";
  }
}

async function tablesOf(db: SqlRunner): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((row) => row.name).filter((name) => name !== MIGRATIONS_TABLE);
}

/** Tables ordered so that every table comes after the tables its foreign keys point at. */
async function dependencyOrder(db: SqlRunner, tables: string[]): Promise<string[]> {
  const edges = await db.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
     WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const unquote = (name: string) => name.replace(/^"(.*)"$/, "$1").replaceAll('""', '"');
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const { child, parent } of edges) {
    const [c, p] = [unquote(child), unquote(parent)];
    if (c !== p && parents.has(c) && parents.has(p)) parents.get(c)!.add(p);
  }
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...parents.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new DbCopyError("the tables' foreign keys form a cycle; cannot order the copy");
    for (const t of ready) {
      placed.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

async function appliedMigrations(db: SqlRunner): Promise<string[]> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('public.${MIGRATIONS_TABLE}') IS NOT NULL AS present`);
  if (!exists?.present) return [];
  const rows = await db.query<{ name: string }>(
    `SELECT migration_name AS name FROM ${MIGRATIONS_TABLE}
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows.map((row) => row.name);
}

/** The source must carry exactly this Pillbox's migrations, so that both sides have the same tables. */
async function checkSourceMigrations(source: SqlRunner, dataDir: string): Promise<void> {
  const known = (await readMigrations()).map((m) => m.name);
  const applied = await appliedMigrations(source);
  const unknown = applied.filter((name) => !known.includes(name));
  const pending = known.filter((name) => !applied.includes(name));
  if (unknown.length > 0) {
    throw new DbCopyError(
      `the embedded database in ${dataDir} was migrated by a newer Pillbox (${unknown.join(", ")}); run db:copy from that version`,
    );
  }
  if (pending.length > 0) {
    throw new DbCopyError(
      `the embedded database in ${dataDir} lacks ${pending.length} migration(s) (${pending.join(", ")}); ` +
        "apply them first with `npm run db:migrate` (DATABASE_URL unset), then copy",
    );
  }
}

/**
 * What the target's public schema (Pillbox's) holds besides what Pillbox's migrations put there (the
 * built-in groups): the tables with rows, as "Table (n rows)". Empty for a new database and for one
 * only migrated. Other schemas (a provider's own, e.g. Supabase's auth) are not Pillbox's concern.
 */
async function targetData(target: pg.Client): Promise<string[]> {
  const { rows: tables } = await target.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema = 'public' AND table_name <> '${MIGRATIONS_TABLE}'
     ORDER BY table_name`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const seeded = name === "Group" ? ` WHERE NOT "builtin"` : "";
    const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM public.${quote(name)}${seeded}`);
    const n = Number(rows[0]!.n);
    if (n > 0) found.push(`${name} (${n} rows)`);
  }
  return found;
}

/** Row count and the sum of every numeric column of `table`, read the same way on both sides. */
async function checkTable(query: (sql: string) => Promise<Record<string, unknown>[]>, table: string): Promise<TableCheck> {
  const columns = (
    await query(
      `SELECT column_name AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = '${table.replaceAll("'", "''")}'
         AND data_type IN ('smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision')
       ORDER BY ordinal_position`,
    )
  ).map((row) => String(row.name));
  const sums = columns.map((c) => `coalesce(sum(${quote(c)}), 0)::text AS ${quote(`sum:${c}`)}`);
  const [row] = await query(`SELECT count(*)::text AS "rows"${sums.map((s) => `, ${s}`).join("")} FROM ${quote(table)}`);
  return {
    table,
    rows: Number(row!.rows),
    sums: Object.fromEntries(columns.map((c) => [c, String(row![`sum:${c}`])])),
  };
}

/** Columns fed by a sequence: set each sequence past the copied rows. */
async function resetSequences(target: pg.Client, tables: string[]): Promise<void> {
  const { rows } = await target.query<{ table: string; column: string; sequence: string }>(
    `SELECT table_name AS "table", column_name AS "column",
            pg_get_serial_sequence(quote_ident(table_name), column_name) AS sequence
     FROM information_schema.columns
     WHERE table_schema = 'public' AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL`,
  );
  for (const { table, column, sequence } of rows) {
    if (!tables.includes(table)) continue;
    await target.query(
      `SELECT setval($1, coalesce((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
      [sequence],
    );
  }
}

async function copyTable(source: SqlSession, target: pg.Client, table: string): Promise<void> {
  const insert = `INSERT INTO ${quote(table)} SELECT * FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`;
  let batch: string[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await target.query(insert, [`[${batch.join(",")}]`]);
    batch = [];
    bytes = 0;
  };
  // A cursor, so that a large table (attachments' bytes) never sits in memory whole.
  await source.transaction(async (tx) => {
    await tx.exec(`DECLARE pillbox_copy NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS "row" FROM ${quote(table)} t`);
    for (;;) {
      const rows = await tx.query<{ row: string }>(`FETCH ${FETCH_ROWS} FROM pillbox_copy`);
      if (rows.length === 0) break;
      for (const { row } of rows) {
        batch.push(row);
        bytes += row.length;
        if (bytes >= BATCH_BYTES) await flush();
      }
    }
    await tx.exec("CLOSE pillbox_copy");
  });
  await flush();
}

/** Same row counts and sums on both sides, or the differences. */
function differences(source: TableCheck[], target: TableCheck[]): string[] {
  const found: string[] = [];
  for (const [i, s] of source.entries()) {
    const t = target[i]!;
    if (s.rows !== t.rows) found.push(`${s.table}: ${s.rows} rows in the embedded database, ${t.rows} copied`);
    for (const [column, sum] of Object.entries(s.sums)) {
      if (t.sums[column] !== sum) found.push(`${s.table}.${column}: sum ${sum} in the embedded database, ${t.sums[column]} copied`);
    }
  }
  return found;
}

/**
 * Copies the embedded database in `dataDir` (its `pglite` folder) into the PostgreSQL database at
 * `targetUrl`: refuses while a server holds the embedded database, or when the target has data;
 * migrates the target, copies every table in dependency order in one transaction, resets sequences,
 * and compares row counts and numeric sums per table before committing.
 */
export async function copyEmbeddedToPostgres(
  { dataDir, targetUrl }: { dataDir: string; targetUrl: string },
  log: (message: string) => void = (message) => console.log(message),
): Promise<CopyResult> {
  const pgliteDir = path.resolve(dataDir, "pglite");
  if (!existsSync(path.join(pgliteDir, "PG_VERSION"))) {
    throw new DbCopyError(`no embedded database in ${pgliteDir} (set PILLBOX_DATA_DIR, or pass --from, to the folder Pillbox used)`);
  }
  // Opening the embedded database takes its lock: a running Pillbox holding it makes this throw.
  const sourceConnection = openDbConnection({ kind: "pglite", dataDir: pgliteDir });
  const target = new pg.Client({ connectionString: targetUrl });
  target.on("error", () => {});
  try {
    const session = await sourceConnection.session();
    await checkSourceMigrations(session, pgliteDir);
    try {
      await target.connect();
    } catch (error) {
      throw new DbCopyError(`cannot connect to ${redactUrl(targetUrl)}: ${(error as Error).message}`);
    }
    const existing = await targetData(target);
    if (existing.length > 0) {
      throw new DbCopyError(
        `the target database ${redactUrl(targetUrl)} is not empty: ${existing.join(", ")}. ` +
          "Copy into a new, empty database (createdb …), or drop this one's data first; nothing was written",
      );
    }

    log(`target: applying migrations to ${redactUrl(targetUrl)}`);
    const targetConnection = openDbConnection({ kind: "postgres", url: targetUrl });
    await applyMigrations(targetConnection, { log: (message) => log(`target: ${message}`) });
    await targetConnection.close();

    const tables = await dependencyOrder(session, await tablesOf(session));
    log(`copying ${tables.length} tables in one transaction`);
    await target.query("BEGIN");
    try {
      // Migrations seed the built-in groups; the copy brings the workspace's own rows for them.
      if (tables.includes("Group")) await target.query(`DELETE FROM "Group" WHERE "builtin"`);
      for (const table of tables) {
        await copyTable(session, target, table);
      }
      await resetSequences(target, tables);
      const sourceChecks: TableCheck[] = [];
      const targetChecks: TableCheck[] = [];
      for (const table of tables) {
        sourceChecks.push(await checkTable((sql) => session.query(sql), table));
        targetChecks.push(await checkTable(async (sql) => (await target.query(sql)).rows, table));
      }
      const wrong = differences(sourceChecks, targetChecks);
      if (wrong.length > 0) {
        throw new DbCopyError(`the copy does not match the embedded database, so it was rolled back:\n  ${wrong.join("\n  ")}`);
      }
      await target.query("COMMIT");
      return { tables: sourceChecks, rows: sourceChecks.reduce((n, t) => n + t.rows, 0) };
    } catch (error) {
      await target.query("ROLLBACK").catch(() => {});
      throw error;
    }
  } finally {
    await target.end().catch(() => {});
    await sourceConnection.close();
  }
}
