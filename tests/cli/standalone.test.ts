// The container, without a container: no image can be built where the tests run, so this runs exactly
// the files the Dockerfile's last stage copies (read from its COPY lines), in a folder outside the
// repository, with its ENV and CMD, as an unprivileged user (nobody, when the tests run as root).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeRedpill } from "@/lib/fake-redpill";
import type { UsageRow } from "@/lib/usage/rows";
import { freePort } from "../support/app-server";
import { ROOT, TEST_REDPILL_KEY } from "../support/constants";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { NOBODY, unprivileged, waitUntilLive } from "../support/standalone";
import type { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };

interface DockerCopy {
  from: string | null;
  sources: string[];
  dest: string;
}

interface DockerStage {
  image: string;
  name: string | null;
  workdir: string;
  env: Record<string, string>;
  copies: DockerCopy[];
  user: string | null;
  cmd: string[] | null;
  healthcheck: string | null;
}

/** The Dockerfile's stages, with what the tests need of each (shell-form COPY and ENV, exec-form CMD). */
function parseDockerfile(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const [instruction = "", ...rest] = line.split(/\s+/);
    const args = line.slice(instruction.length).trim();
    if (instruction.toUpperCase() === "FROM") {
      stages.push({
        image: rest[0]!,
        name: rest[1]?.toUpperCase() === "AS" ? rest[2]! : null,
        workdir: "/",
        env: {},
        copies: [],
        user: null,
        cmd: null,
        healthcheck: null,
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue; // ARG before the first FROM
    switch (instruction.toUpperCase()) {
      case "WORKDIR":
        stage.workdir = path.posix.resolve(stage.workdir, args);
        break;
      case "ENV":
        for (const pair of rest) {
          const index = pair.indexOf("=");
          if (index < 1) throw new Error(`ENV ${pair}: use the KEY=value form`);
          stage.env[pair.slice(0, index)] = pair.slice(index + 1);
        }
        break;
      case "COPY": {
        if (args.startsWith("[")) throw new Error(`COPY ${args}: use the shell form`);
        const flags = rest.filter((word) => word.startsWith("--"));
        const paths = rest.filter((word) => !word.startsWith("--"));
        const from = flags.find((flag) => flag.startsWith("--from="))?.slice("--from=".length) ?? null;
        stage.copies.push({ from, sources: paths.slice(0, -1), dest: paths.at(-1)! });
        break;
      }
      case "USER":
        stage.user = args;
        break;
      case "CMD":
        stage.cmd = JSON.parse(args) as string[];
        break;
      case "HEALTHCHECK":
        stage.healthcheck = args;
        break;
    }
  }
  return stages;
}

const stages = parseDockerfile(fs.readFileSync(path.join(ROOT, "Dockerfile"), "utf8"));
const runner = stages.at(-1)!;

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** A folder outside the repository holding exactly what the runner stage copies, owned by root, readable by all. */
function installRunnerFiles(): string {
  const buildStage = stages.find((stage) => stage.name !== null && runner.copies.some((copy) => copy.from === stage.name));
  if (!buildStage) throw new Error("the runner stage copies from no named stage");
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-standalone-"));
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const appDir = path.join(root, runner.workdir);
  fs.mkdirSync(appDir, { recursive: true });
  for (const copy of runner.copies) {
    for (const source of copy.sources) {
      // The build stage's WORKDIR holds the repository (COPY . .), built: map its paths back to ROOT.
      const inBuild = path.posix.resolve(buildStage.workdir, source);
      const relative = path.posix.relative(buildStage.workdir, inBuild);
      fs.cpSync(path.join(ROOT, relative), path.resolve(appDir, copy.dest), { recursive: true });
    }
  }
  fs.chmodSync(root, 0o755);
  spawnSync("chmod", ["-R", "a+rX", root]);
  return appDir;
}

/** A folder the server may write (the embedded database, if it uses one). */
function writableDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-standalone-data-"));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  if (NOBODY) fs.chownSync(dir, NOBODY.uid, NOBODY.gid);
  return dir;
}

interface Standalone {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** `node server.js` (the Dockerfile's CMD) in `appDir` with the Dockerfile's ENV plus `env`, as nobody. */
async function startStandalone(appDir: string, env: Record<string, string>): Promise<Standalone> {
  const port = await freePort();
  const [program, ...args] = runner.cmd!;
  expect(program).toBe("node");
  const node = [process.execPath, ...args];
  const command = unprivileged(node);
  // Nothing from this process's environment but PATH: the Dockerfile's ENV, then the deployment's.
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: os.tmpdir(),
    NODE_ENV: "production",
    ...runner.env,
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    ...env,
  };
  const child = spawn(command[0]!, command.slice(1), { cwd: appDir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let printed = "";
  child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  };
  cleanup.push(stop);
  return { url: `http://127.0.0.1:${port}`, child, output: () => printed, exited, stop };
}

/** The Dockerfile's HEALTHCHECK command, run beside the server (same PORT) → its exit status. */
function runHealthcheck(server: Standalone): number | null {
  const command = JSON.parse(/\bCMD\s+(\[.*\])\s*$/.exec(runner.healthcheck ?? "")?.[1] ?? "null") as string[] | null;
  if (!command) throw new Error(`HEALTHCHECK ${runner.healthcheck}: use CMD with the exec form`);
  expect(command[0]).toBe("node");
  const result = spawnSync(process.execPath, command.slice(1), {
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: new URL(server.url).port },
    encoding: "utf8",
    timeout: 60_000,
  });
  return result.status;
}

async function json<T>(response: Response): Promise<T> {
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as T;
}

/** The page's scripts and stylesheets all load: the static assets are in the folder. */
async function expectStaticAssets(url: string): Promise<void> {
  const page = await fetch(`${url}/setup`);
  expect(page.status).toBe(200);
  const assets = [...new Set([...(await page.text()).matchAll(/\/_next\/static\/[^"'\s]+\.(?:js|css)/g)].map((m) => m[0]))];
  expect(assets.some((asset) => asset.endsWith(".js"))).toBe(true);
  expect(assets.some((asset) => asset.endsWith(".css"))).toBe(true);
  for (const asset of assets) expect((await fetch(`${url}${asset}`)).status, asset).toBe(200);
}

/** Setup, sign-in, one streamed reply, and its settled usage row. */
async function chatOnce(url: string): Promise<{ admin: Session; rows: UsageRow[] }> {
  const admin = await setUpAdmin({ url });
  const stream = await readUiStream(await admin.postJson("/api/chat", chatBody("hello from a standalone server")));
  expect(stream.errors, JSON.stringify(stream.errors)).toEqual([]);
  expect(stream.finished).toBe(true);
  expect(stream.text.length).toBeGreaterThan(0);
  for (;;) {
    const { usage } = await json<{ usage: UsageRow[] }>(await admin.fetch("/api/admin/usage?limit=10"));
    if (usage.length > 0 && usage.every((row) => row.status !== "pending")) return { admin, rows: usage };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the Dockerfile", () => {
  it("builds in stages on Node 20 slim and runs only .next/standalone, as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    for (const stage of stages) expect(stage.image).toMatch(/^node:20-(bookworm-)?slim$/);
    expect(runner.user).toBe("node");
    expect(runner.env).toMatchObject({ NODE_ENV: "production", HOSTNAME: "0.0.0.0", PORT: "3000" });
    expect(runner.cmd).toEqual(["node", "server.js"]);
    expect(runner.healthcheck).toContain("/api/health");
    // Nothing from the repository but the build's standalone folder reaches the image.
    expect(runner.copies.length).toBeGreaterThan(0);
    for (const copy of runner.copies) {
      expect(copy.from).toBe("build");
      for (const source of copy.sources) expect(path.posix.normalize(source)).toMatch(/^\/app\/\.next\/standalone\/?$/);
    }
  });
});

describe("the standalone server, run as the container runs it", () => {
  it.skipIf(pgSkip !== null)(
    "serves the whole app on PostgreSQL, migrating on start, and refuses a database a newer Pillbox migrated",
    async () => {
      const appDir = installRunnerFiles();
      expect(fs.existsSync(path.join(appDir, "server.js"))).toBe(true);
      const database = await createTestDatabase("pillbox_standalone");
      cleanup.push(() => database.drop());
      const fake = await startFakeRedpill({ quiet: true, apiKey: TEST_REDPILL_KEY });
      cleanup.push(() => fake.close());
      const deployment = {
        DATABASE_URL: database.url,
        REDPILL_API_KEY: TEST_REDPILL_KEY,
        REDPILL_BASE_URL: fake.url,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        PILLBOX_DATA_DIR: writableDataDir(),
        PILLBOX_MIGRATE_ON_START: "1",
      };

      const server = await startStandalone(appDir, deployment);
      await waitUntilLive(server);
      expect(await json(await fetch(`${server.url}/api/health`))).toEqual({ status: "ok", version });
      const ready = await fetch(`${server.url}/api/health?ready=1`);
      expect(ready.status).toBe(200);
      expect(await json(ready)).toMatchObject({
        status: "ok",
        version,
        checks: {
          database: { ok: true },
          migrations: { ok: true, pending: [], unknown: [] },
          catalog: { models: expect.any(Number), stale: false },
        },
      });
      await expectStaticAssets(server.url);
      expect(runHealthcheck(server)).toBe(0);

      const { rows } = await chatOnce(server.url);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "ok", modelId: "anthropic/claude-sonnet-4.5" });
      expect(Number(rows[0]!.costUsd)).toBeGreaterThan(0);
      const upstream = fake.requests.find((r) => r.path === "/v1/chat/completions");
      expect(upstream?.headers.authorization).toBe(`Bearer ${TEST_REDPILL_KEY}`);

      // A newer Pillbox migrates the database while this one runs: not ready, though still live.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await client.query(
          `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count)
           VALUES ($1, $2, now(), '29991231000000_from_a_newer_pillbox', 1)`,
          [crypto.randomUUID(), "0".repeat(64)],
        );
      } finally {
        await client.end();
      }
      const notReady = await fetch(`${server.url}/api/health?ready=1`);
      expect(notReady.status).toBe(503);
      expect(await json(notReady)).toMatchObject({
        error: { code: "unavailable:database", message: expect.stringContaining("29991231000000_from_a_newer_pillbox") },
        checks: { migrations: { ok: false, unknown: ["29991231000000_from_a_newer_pillbox"] } },
        version,
      });
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      await server.stop();
      expect(runHealthcheck(server)).toBe(1); // and it fails once nothing answers
      expect(server.output()).not.toContain(TEST_REDPILL_KEY);

      // … and this version refuses to start on it, migrating on start or not.
      for (const migrate of ["1", "0"]) {
        const refused = await startStandalone(appDir, { ...deployment, PILLBOX_MIGRATE_ON_START: migrate });
        expect(await refused.exited, refused.output()).toBe(1);
        expect(refused.output()).toContain(`The database is newer than this Pillbox (version ${version})`);
        expect(refused.output()).toContain("29991231000000_from_a_newer_pillbox");
      }
    },
  );

  it("runs on the embedded database in /tmp (demo mode), and without PILLBOX_MIGRATE_ON_START refuses an unmigrated one", async () => {
    const appDir = installRunnerFiles();
    const deployment = { PILLBOX_DATA_DIR: writableDataDir(), PILLBOX_DEMO_DELAY_MS: "5" };

    const refused = await startStandalone(appDir, deployment);
    expect(await refused.exited, refused.output()).toBe(1);
    expect(refused.output()).toMatch(/The database is missing \d+ migration\(s\) this Pillbox needs/);
    expect(refused.output()).toContain("PILLBOX_MIGRATE_ON_START=1");

    const server = await startStandalone(appDir, { ...deployment, PILLBOX_MIGRATE_ON_START: "1" });
    await waitUntilLive(server);
    const ready = await json<{ checks: { migrations: { ok: boolean } } }>(await fetch(`${server.url}/api/health?ready=1`));
    expect(ready.checks.migrations.ok).toBe(true);
    const { rows } = await chatOnce(server.url);
    expect(rows.map((row) => row.status)).toEqual(["ok"]);
    await server.stop();
    expect(fs.existsSync(path.join(deployment.PILLBOX_DATA_DIR, "pglite"))).toBe(true);
  });
});
