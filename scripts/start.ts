/**
 * `npm start`: validate configuration, apply migrations, build when the sources changed since
 * the last build, then run `next start`. Works on a fresh clone with no database server and no
 * key (embedded database, demo mode).
 */
import "./load-env";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const fingerprintFile = path.join(root, ".next", "pillbox-source-fingerprint");
const STANDALONE_ADVICE = /^.*"next start" does not work with "output: standalone".*\r?\n?/gm;
const sourceDirs = ["app", "components", "lib", "public"];
const sourceFiles = ["next.config.ts", "package-lock.json", "proxy.ts", "instrumentation.ts", "postcss.config.mjs", "tsconfig.json"];

function* walk(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Paths, sizes and modification times of everything the build reads. */
function sourceFingerprint(): string {
  const hash = createHash("sha256");
  const files = [...sourceDirs.flatMap((d) => [...walk(path.join(root, d))]), ...sourceFiles.map((f) => path.join(root, f))];
  for (const file of files.sort()) {
    if (!fs.existsSync(file)) continue;
    const stat = fs.statSync(file);
    hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest("hex");
}

/** Validated configuration, or exit with the message naming the bad variable. */
async function loadConfig() {
  try {
    return (await import("../lib/env")).env;
  } catch (error) {
    if (error instanceof Error && error.name === "EnvError") {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  const env = await loadConfig();
  // A self-hosted workspace phones nobody: no Next.js telemetry from builds or the server.
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";

  const { migrateDatabase } = await import("../lib/db/migrate-cli");
  await migrateDatabase();

  const fingerprint = sourceFingerprint();
  const built = fs.existsSync(path.join(root, ".next", "BUILD_ID"));
  const current = built && fs.existsSync(fingerprintFile) && fs.readFileSync(fingerprintFile, "utf8") === fingerprint;
  if (!current || process.argv.includes("--rebuild")) {
    console.log(built ? "Sources changed since the last build: rebuilding…" : "First start: building Pillbox (a minute or two)…");
    const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env: process.env });
    if (build.status !== 0) process.exit(build.status ?? 1);
    // Like `npm run build`: .next/standalone is complete too, ready to deploy.
    const complete = spawnSync(process.execPath, [path.join(root, "scripts", "standalone.mjs")], { cwd: root, stdio: "inherit" });
    if (complete.status !== 0) process.exit(complete.status ?? 1);
    fs.writeFileSync(fingerprintFile, fingerprint);
  }

  const port = process.env.PORT || "3000";
  console.log(
    env.demoMode
      ? "Demo mode: REDPILL_API_KEY is not set, replies are simulated by the built-in fake RedPill."
      : `Using RedPill at ${env.REDPILL_BASE_URL}.`,
  );
  console.log(env.DATABASE_URL ? "Database: PostgreSQL (DATABASE_URL)." : `Database: embedded PGlite in ${path.resolve(env.PILLBOX_DATA_DIR, "pglite")}.`);
  const server = spawn(process.execPath, [nextBin, "start", "--port", port], {
    cwd: root,
    stdio: ["inherit", "inherit", "pipe"],
    env: process.env,
  });
  // `next start` serves the build in .next as ever; its advice to deploy .next/standalone instead
  // is for servers (README: "Deploy on a Node server"), not for this command.
  server.stderr!.on("data", (chunk: Buffer) => {
    const text = chunk.toString().replace(STANDALONE_ADVICE, "");
    if (text) process.stderr.write(text);
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
