// npm run db:migration:new -- <name>
// Writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that takes the database built by
// the existing migrations to prisma/schema.prisma (what `prisma migrate dev --create-only` would write),
// computed by Prisma's wasm schema engine against a throwaway in-memory PGlite.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { MIGRATIONS_DIR, readMigrations } from "../lib/db/migrate";
import { createMemoryPGlite } from "../lib/db/pglite-memory";
import {
  MIGRATION_LOCK_TOML,
  createSchemaEngine,
  diffMigrationsToSchema,
  migrationList,
  pgliteEngineAdapter,
} from "../lib/db/schema-engine";

const SCHEMA_PATH = path.resolve("prisma", "schema.prisma");

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 200);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14); // YYYYMMDDHHMMSS, UTC, like Prisma
}

async function main(): Promise<void> {
  const name = slug(process.argv.slice(2).join(" "));
  if (!name) {
    console.error("usage: npm run db:migration:new -- <name>");
    process.exit(2);
  }
  const schema = [{ path: "schema.prisma", content: await readFile(SCHEMA_PATH, "utf8") }];
  const migrations = await readMigrations(MIGRATIONS_DIR);
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  const lockfile = existsSync(lockPath) ? await readFile(lockPath, "utf8") : null;

  const shadow = await createMemoryPGlite();
  try {
    const engine = await createSchemaEngine(pgliteEngineAdapter(shadow), schema);
    const sql = await diffMigrationsToSchema(engine, migrationList(MIGRATIONS_DIR, migrations, lockfile ?? MIGRATION_LOCK_TOML), schema);
    if (sql === null) {
      console.log("no changes: prisma/schema.prisma matches the existing migrations");
      return;
    }
    let stamp = timestamp(new Date());
    const last = migrations.at(-1)?.name.slice(0, 14);
    // Folders apply in name order: never sort before an existing migration (e.g. after a clock change).
    if (last && /^\d{14}$/.test(last) && stamp <= last) stamp = String(BigInt(last) + 1n);
    const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    if (lockfile === null) await writeFile(lockPath, MIGRATION_LOCK_TOML);
    console.log(`created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}`);
    console.log("review it, then apply it with: npm run db:migrate");
  } finally {
    await shadow.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
