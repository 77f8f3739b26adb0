// npm run db:migration:new: nothing to write for the committed schema; a new, last-sorting migration
// folder whose SQL closes the gap for a changed schema.
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, readMigrations } from "@/lib/db/migrate";
import { createMemoryPGlite } from "@/lib/db/pglite-memory";
import {
  MIGRATION_LOCK_TOML,
  createSchemaEngine,
  diffMigrationsToSchema,
  migrationList,
  pgliteEngineAdapter,
} from "@/lib/db/schema-engine";

const root = path.resolve(".");

describe("db:migration:new", () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(path.join(os.tmpdir(), "pillbox-new-migration-"));
    await cp(path.join(root, "prisma"), path.join(project, "prisma"), { recursive: true });
  });
  afterAll(() => rm(project, { recursive: true, force: true }));

  async function diff(migrationsDir: string, schemaPath: string): Promise<string | null> {
    const schema = [{ path: "schema.prisma", content: await readFile(schemaPath, "utf8") }];
    const list = migrationList(migrationsDir, await readMigrations(migrationsDir), MIGRATION_LOCK_TOML);
    const shadow = await createMemoryPGlite(); // the engine migrates it, so one per diff
    const engine = await createSchemaEngine(pgliteEngineAdapter(shadow), schema);
    try {
      return await diffMigrationsToSchema(engine, list, schema);
    } finally {
      engine.free();
      await shadow.close();
    }
  }

  it("finds nothing to write for the committed schema and migrations", async () => {
    expect(await diff(MIGRATIONS_DIR, path.join(root, "prisma", "schema.prisma"))).toBeNull();
  });

  it("writes the SQL for a schema change into a new, last-sorting migration folder", async () => {
    const migrationsDir = path.join(project, "prisma", "migrations");
    const schemaPath = path.join(project, "prisma", "schema.prisma");
    const schema = await readFile(schemaPath, "utf8");
    const changed = schema.replace("model User {\n", "model User {\n  nickname String?\n");
    expect(changed).not.toBe(schema);
    await writeFile(schemaPath, changed);
    const before = await readdir(migrationsDir);

    const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
    const script = path.join(root, "scripts", "db-new-migration.ts");
    const run = spawnSync(process.execPath, [tsx, "--conditions=react-server", script, "Add nickname!"], {
      cwd: project,
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/created prisma\/migrations\/\d{14}_add_nickname\/migration\.sql/);

    const after = await readdir(migrationsDir);
    const added = after.filter((n) => !before.includes(n));
    expect(added).toHaveLength(1);
    expect(after.filter((n) => n !== "migration_lock.toml").sort().at(-1)).toBe(added[0]);
    const sql = await readFile(path.join(migrationsDir, added[0]!, "migration.sql"), "utf8");
    expect(sql).toContain('ALTER TABLE "User" ADD COLUMN     "nickname" TEXT;');
    expect(await diff(migrationsDir, schemaPath)).toBeNull();
  });
});
