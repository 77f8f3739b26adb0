// The first step of `npm run build`. On Vercel (VERCEL is set) Pillbox needs PostgreSQL: the
// embedded database cannot live on a function's filesystem. So there the build stops with a clear
// message without DATABASE_URL, and with it applies the migrations first (the functions then start
// on a database that matches their code; PILLBOX_MIGRATE_ON_START is not needed). Elsewhere: nothing.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

if (process.env.VERCEL) {
  const url = process.env.DATABASE_URL?.trim() ?? "";
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    console.error(
      [
        "",
        "Pillbox on Vercel needs PostgreSQL: DATABASE_URL " + (url ? "must be a postgresql:// URL." : "is not set."),
        "The embedded database cannot live on a function's filesystem. Add a PostgreSQL database (Neon, or",
        "Vercel Postgres) and set DATABASE_URL in the project's environment variables (for Production and",
        "Preview), then redeploy. See README.md, \"Deploy to Vercel\".",
        "",
      ].join("\n"),
    );
    process.exit(1);
  }
  // Migrations hold a session-level advisory lock, which a transaction-mode pooler (Neon's "-pooler"
  // host, PgBouncer) does not keep: migrate over the direct connection when one is given, as Vercel's
  // Neon integration does (DATABASE_URL_UNPOOLED).
  const direct = process.env.DATABASE_URL_UNPOOLED?.trim();
  console.log(`Vercel build: applying database migrations (${direct ? "DATABASE_URL_UNPOOLED" : "DATABASE_URL"})…`);
  const migrate = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "db-migrate.ts")],
    { cwd: root, stdio: "inherit", env: { ...process.env, ...(direct ? { DATABASE_URL: direct } : {}) } },
  );
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
}
