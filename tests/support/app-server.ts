import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { startFakeRedpill, type FakeRedpill, type FakeRedpillOptions } from "@/lib/fake-redpill";
import { ROOT, TEST_REDPILL_KEY } from "./constants";
import { blankEnvFileVariables } from "./isolated-env";
import { copyEmbeddedTemplate, postgresTemplate } from "./db-template";
import { createTestDatabase } from "./postgres";

export type DatabaseKind = "embedded" | "postgres";

export interface AppServer {
  url: string;
  /** The server process's id (`next start` serves from this one process): read its CPU time from /proc, or profile it. */
  pid: number;
  database: DatabaseKind;
  /** The fake RedPill this server talks to (null in demo mode, where the server runs its own, and with `redpillUrl`). */
  fake: FakeRedpill | null;
  /** The PostgreSQL database's URL (postgres only). */
  databaseUrl: string | undefined;
  /** The embedded database's folder (open it with PGlite after stopServer()). */
  pgliteDir: string;
  /** Everything the server process printed so far. */
  output(): string;
  /** Stops the server process only (the embedded database can then be opened by the test). */
  stopServer(): Promise<void>;
  /** Resolves when the server process has exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the server process at once (SIGKILL), as a crash would: nothing in flight is settled. */
  crash(): Promise<void>;
  /** Every row of every table as JSON text (embedded: after stopServer()). */
  dumpDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const DUMP_SQL = `SELECT json_agg(t)::text AS rows FROM (
  SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name) t`;

async function dumpTables(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<string> {
  const [list] = await query(DUMP_SQL);
  const tables = JSON.parse(String(list!.rows)) as { table_name: string }[];
  const parts: string[] = [];
  for (const { table_name: table } of tables) {
    const rows = await query(`SELECT coalesce(json_agg(t), '[]')::text AS rows FROM "${table}" t`);
    parts.push(`${table}: ${String(rows[0]!.rows)}`);
  }
  return parts.join("\n");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`app server did not become healthy:\n${output()}`);
}

/**
 * A production server (`next start` on the build made in global setup) with its own fresh
 * database (a copy of a template the real `npm run db:migrate` made), talking to its own fake RedPill.
 */
export async function startAppServer({
  database,
  demo = false,
  env = {},
  fakeOptions = {},
  redpillUrl,
  nodeArgs = [],
  sharedDatabaseUrl,
  authSecret = randomBytes(32).toString("base64url"),
}: {
  database: DatabaseKind;
  demo?: boolean;
  env?: Record<string, string>;
  fakeOptions?: Omit<FakeRedpillOptions, "apiKey">;
  /** Talk to this RedPill (e.g. a fake in another process, given the test key) instead of starting a fake here. */
  redpillUrl?: string;
  /** Extra flags for the server's node process, e.g. ["--cpu-prof"] when profiling. */
  nodeArgs?: string[];
  /** Join an existing PostgreSQL database (another instance's) instead of creating one. */
  sharedDatabaseUrl?: string;
  /** null: no AUTH_SECRET, so the server generates and stores one. */
  authSecret?: string | null;
}): Promise<AppServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-test-"));
  // A fresh database is a copy of a migrated template (tests/support/db-template.ts) when there is one.
  const pgTemplate = database === "postgres" && !sharedDatabaseUrl ? await postgresTemplate() : null;
  const pgDatabase = database === "postgres" && !sharedDatabaseUrl ? await createTestDatabase(undefined, pgTemplate ?? undefined) : null;
  const migrated = pgTemplate !== null || (database === "embedded" && copyEmbeddedTemplate(dataDir));
  const databaseUrl = sharedDatabaseUrl ?? pgDatabase?.url;
  const fake = demo || redpillUrl ? null : await startFakeRedpill({ quiet: true, ...fakeOptions, apiKey: TEST_REDPILL_KEY });
  const upstreamUrl = demo ? null : (redpillUrl ?? fake!.url);
  const port = await freePort();
  const serverEnv: NodeJS.ProcessEnv = {
    ...blankEnvFileVariables(),
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    // stopServer() waits 5 s for SIGTERM before it kills: a reply left open is aborted well before.
    PILLBOX_SHUTDOWN_GRACE_MS: "2000",
    PILLBOX_DATA_DIR: dataDir,
    // bcrypt's cheapest cost: the suite signs in hundreds of times, and the cost is not what it tests.
    PILLBOX_PASSWORD_HASH_COST: "4",
    ...(authSecret ? { AUTH_SECRET: authSecret } : {}),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(upstreamUrl ? { REDPILL_API_KEY: TEST_REDPILL_KEY, REDPILL_BASE_URL: upstreamUrl } : {}),
    ...(demo ? { PILLBOX_DEMO_DELAY_MS: "5" } : {}),
    ...env,
  };

  let printed = "";
  if (!migrated) {
    const migrate = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/db-migrate.ts"], {
      cwd: ROOT,
      env: serverEnv,
      encoding: "utf8",
    });
    if (migrate.status !== 0) throw new Error(`db:migrate failed:\n${migrate.stdout}\n${migrate.stderr}`);
    printed = migrate.stdout + migrate.stderr;
  }
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "--port", String(port)], {
    cwd: ROOT,
    env: serverEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exitedWith = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const output = () => printed;
  await waitForHealth(url, child, output);

  // A process killed by a signal has no exit code, only a signal code.
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  async function stopServer() {
    if (hasExited()) return;
    child.kill("SIGTERM");
    await Promise.race([exitedWith, new Promise((r) => setTimeout(r, 5000))]);
    if (!hasExited()) {
      child.kill("SIGKILL");
      await exitedWith;
    }
  }

  return {
    url,
    pid: child.pid!,
    exited: exitedWith,
    database,
    databaseUrl,
    pgliteDir: path.join(dataDir, "pglite"),
    fake,
    output,
    stopServer,
    async crash() {
      if (hasExited()) return;
      child.kill("SIGKILL");
      await exitedWith;
    },
    async dumpDatabase() {
      if (databaseUrl) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          return await dumpTables(async (sql) => (await client.query(sql)).rows);
        } finally {
          await client.end();
        }
      }
      const embedded = new PGlite(path.join(dataDir, "pglite"));
      try {
        return await dumpTables(async (sql) => (await embedded.query<Record<string, unknown>>(sql)).rows);
      } finally {
        await embedded.close();
      }
    },
    async stop() {
      await stopServer();
      await fake?.close();
      await pgDatabase?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
