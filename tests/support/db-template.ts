import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PG_ADMIN_URL, ROOT } from "./constants";
import { blankEnvFileVariables } from "./isolated-env";
import { postgresReachable } from "./postgres";

/**
 * Freshly migrated databases to copy instead of migrating one per test server: migrating an
 * embedded database costs ~7 s of CPU, copying its folder a fraction of a second. A template is
 * keyed by the migrations and the PGlite version, so a changed migration makes a new one. The
 * migration path itself is tested by tests/cli and tests/db, which never use a template.
 */
let memoKey: string | undefined;

function templateKey(): string {
  return (memoKey ??= computeTemplateKey());
}

function computeTemplateKey(): string {
  const hash = createHash("sha256");
  const migrations = path.join(ROOT, "prisma/migrations");
  for (const entry of fs.readdirSync(migrations, { recursive: true, withFileTypes: true }).sort((a, b) =>
    path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)),
  )) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hash.update(path.relative(migrations, file)).update(fs.readFileSync(file));
  }
  const pglite = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  return hash.update(pglite.version).digest("hex").slice(0, 16);
}

const embeddedTemplateDir = (key: string) => path.join(os.tmpdir(), "pillbox-test-templates", `pglite-${key}`);
const postgresTemplateName = (key: string) => `pillbox_template_${key}`;

function migrate(env: Record<string, string>): void {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/db-migrate.ts"], {
    cwd: ROOT,
    env: { ...blankEnvFileVariables(), PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...env },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`db:migrate failed for a template:\n${result.stdout}\n${result.stderr}`);
}

async function ensureEmbeddedTemplate(key: string): Promise<void> {
  const dir = embeddedTemplateDir(key);
  if (fs.existsSync(dir)) return;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-template-"));
  migrate({ PILLBOX_DATA_DIR: work });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.renameSync(path.join(work, "pglite"), dir);
  } catch (error) {
    if (!fs.existsSync(dir)) throw error; // else another run made the same template meanwhile
  }
  fs.rmSync(work, { recursive: true, force: true });
}

async function ensurePostgresTemplate(key: string): Promise<void> {
  if (await postgresReachable()) return;
  if (await postgresTemplate()) return;
  const name = postgresTemplateName(key);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const work = `${name}_${randomBytes(4).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${work}`);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${work}`;
    migrate({ DATABASE_URL: url.toString() });
    try {
      await admin.query(`ALTER DATABASE ${work} RENAME TO ${name}`);
    } catch {
      await admin.query(`DROP DATABASE IF EXISTS ${work} WITH (FORCE)`); // another run made it meanwhile
    }
  } finally {
    await admin.end();
  }
}

/** Global setup: make the templates for the current migrations (once per machine and migration set). */
export async function prepareDatabaseTemplates(): Promise<void> {
  const key = templateKey();
  await ensureEmbeddedTemplate(key);
  await ensurePostgresTemplate(key);
}

/** A migrated embedded database at `<dataDir>/pglite`, copied from the template; false when there is none. */
export function copyEmbeddedTemplate(dataDir: string): boolean {
  const dir = embeddedTemplateDir(templateKey());
  if (!fs.existsSync(dir)) return false;
  fs.cpSync(dir, path.join(dataDir, "pglite"), { recursive: true });
  return true;
}

/** The PostgreSQL template database's name for the current migrations, or null when there is none. */
export async function postgresTemplate(): Promise<string | null> {
  const name = postgresTemplateName(templateKey());
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return rowCount ? name : null;
  } finally {
    await admin.end();
  }
}
