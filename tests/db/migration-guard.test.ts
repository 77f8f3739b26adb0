// The migration runner refuses a migration with its own transaction control or CONCURRENTLY (each migration
// runs in one transaction the runner owns) before applying anything, and tells which and why; BEGIN in a
// plpgsql body, comments and strings are fine.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDbConnection, resolveDbTarget, type DbConnection } from "@/lib/db/adapter";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { findForbiddenStatement } from "@/lib/db/migration-sql";

const FIRST = 'CREATE TABLE "First" ("id" INTEGER);\n';

describe("migration runner: statements that would break its transaction", () => {
  let connection: DbConnection;
  let scratch: string;
  beforeAll(async () => {
    connection = openDbConnection(resolveDbTarget("memory://", undefined));
    scratch = await mkdtemp(path.join(os.tmpdir(), "pillbox-migration-guard-"));
  });
  afterAll(async () => {
    await connection.close();
    await rm(scratch, { recursive: true, force: true });
  });

  let dirs = 0;
  /** A migrations folder: a harmless first migration, then `sql` as 20990101000000_second. */
  async function migrationsWith(sql: string): Promise<string> {
    const dir = path.join(scratch, String(dirs++));
    for (const [name, body] of [
      ["20990101000000_first", FIRST],
      ["20990101000001_second", sql],
    ] as const) {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, "migration.sql"), body);
    }
    return dir;
  }

  async function tables(): Promise<string[]> {
    const session = await connection.session();
    try {
      const rows = await session.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      return rows.map((r) => r.name);
    } finally {
      await session.release();
    }
  }

  it.each([
    ["BEGIN", 'BEGIN;\nCREATE TABLE "Second" ("id" INTEGER);\nCOMMIT;\n', 1],
    ["START TRANSACTION", 'CREATE TABLE "Second" ("id" INTEGER);\n\nstart\n  transaction;\n', 3],
    ["COMMIT", 'CREATE TABLE "Second" ("id" INTEGER);\n-- done:\nCOMMIT;\nCREATE TABLE "Third" ("id" INTEGER);\n', 3],
    ["ROLLBACK", 'CREATE TABLE "Second" ("id" INTEGER); ROLLBACK;\n', 1],
    ["END", 'CREATE TABLE "Second" ("id" INTEGER);\nEND;\n', 2],
    ["CONCURRENTLY", 'CREATE TABLE "Second" ("id" INTEGER);\nCREATE INDEX CONCURRENTLY "Second_id" ON "Second" ("id");\n', 2],
  ])("refuses %s, naming the migration, and applies nothing", async (keyword, sql, line) => {
    const dir = await migrationsWith(sql);
    const refused = applyMigrations(connection, { migrationsDir: dir });
    await expect(refused).rejects.toThrow(
      `refusing to apply migration 20990101000001_second: its migration.sql has ${keyword} (line ${line}). ` +
        "Each migration runs in one transaction the runner owns",
    );
    await expect(refused).rejects.toMatchObject({ name: "MigrationError" });
    if (keyword === "CONCURRENTLY") await expect(refused).rejects.toThrow(/cannot run inside a transaction block/);
    // Checked before anything runs: not even the harmless first migration is applied.
    expect(await tables()).toEqual(["_prisma_migrations"]);
    const session = await connection.session();
    try {
      expect(await session.query("SELECT migration_name FROM _prisma_migrations")).toEqual([]);
    } finally {
      await session.release();
    }
  });

  it("accepts BEGIN … END in a function body, and the keywords in comments, strings and identifiers", async () => {
    const sql = `-- BEGIN; COMMIT; CREATE INDEX CONCURRENTLY
/* ROLLBACK; /* nested: END; */ still a comment: COMMIT; */
CREATE TABLE "Second" ("id" INTEGER, "concurrently" TEXT DEFAULT 'COMMIT; BEGIN', "note" TEXT DEFAULT E'it\\'s; END');
CREATE FUNCTION "second_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."note" := CASE WHEN NEW."id" > 0 THEN 'positive' ELSE 'other' END;
  RETURN NEW;
END;
$$;
CREATE FUNCTION "second_noop"() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN COMMIT; END $body$;
CREATE TRIGGER "second_touch" BEFORE INSERT ON "Second" FOR EACH ROW EXECUTE FUNCTION "second_touch"();
`;
    expect(findForbiddenStatement(sql)).toBeNull();
    const dir = await migrationsWith(sql);
    expect((await applyMigrations(connection, { migrationsDir: dir })).applied).toEqual([
      "20990101000000_first",
      "20990101000001_second",
    ]);
    expect(await tables()).toEqual(["First", "Second", "_prisma_migrations"]);
  });

  it("finds nothing to refuse in the committed migrations", async () => {
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => [m.name, findForbiddenStatement(m.sql)])).toEqual(migrations.map((m) => [m.name, null]));
  });
});
