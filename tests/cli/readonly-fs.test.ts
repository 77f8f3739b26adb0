// The closest these machines come to a Vercel function: the production build (.next/standalone) run
// by a user who can write nowhere but /tmp, with VERCEL=1, DATABASE_URL set (migrated by the build
// step, as on Vercel) and no RedPill key, so demo mode must answer in-process, on no port of its own.
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { UsageRow } from "@/lib/usage/rows";
import { ROOT } from "../support/constants";
import { ADMIN, chatBody, sendChat } from "../support/fixtures";
import { blankEnvFileVariables } from "../support/isolated-env";
import { createTestDatabase, postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import {
  NOBODY,
  copyStandalone,
  folderState,
  listeningPorts,
  startStandalone,
  unprivileged,
  waitUntilLive,
} from "../support/standalone";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the read-only file system test: ${pgSkip}`);

const SETUP_TOKEN = "vercel-setup-2f9d41c7a8e3b6d0";

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** `npm run build`'s first step (scripts/prebuild.mjs) with `env` only. */
function prebuild(env: Record<string, string>) {
  return spawnSync(process.execPath, ["scripts/prebuild.mjs"], {
    cwd: ROOT,
    env: { ...blankEnvFileVariables(), NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
  });
}

async function migrationCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe("on Vercel (VERCEL set)", () => {
  it("the build stops without a PostgreSQL DATABASE_URL, saying why", () => {
    for (const env of [{ VERCEL: "1" }, { VERCEL: "1", DATABASE_URL: "memory://" }] as Record<string, string>[]) {
      const result = prebuild(env);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("Pillbox on Vercel needs PostgreSQL");
      expect(result.stderr).toContain("Deploy to Vercel");
    }
    // Off Vercel the step does nothing.
    expect(prebuild({}).status).toBe(0);
  });

  it("a server stops at start without DATABASE_URL, saying why", async () => {
    const { appDir, remove } = copyStandalone();
    cleanup.push(remove);
    const server = await startStandalone(appDir, { VERCEL: "1", HOME: os.tmpdir() });
    cleanup.push(() => server.stop());
    expect(await server.exited, server.output()).toBe(1);
    expect(server.output()).toContain("DATABASE_URL: must be a postgresql:// URL on Vercel");
  });

  it.skipIf(pgSkip !== null)(
    "the build migrates; the server serves setup, chat and usage writing nowhere but /tmp, with demo mode in-process",
    async () => {
      const database = await createTestDatabase("pillbox_vercel");
      cleanup.push(() => database.drop());
      const built = prebuild({ VERCEL: "1", DATABASE_URL: database.url });
      expect(built.status, built.stdout + built.stderr).toBe(0);
      expect(await migrationCount(database.url)).toBeGreaterThan(0);

      const { appDir, remove } = copyStandalone();
      cleanup.push(remove);
      if (NOBODY) {
        // The folder is the function's read-only code: the server's user cannot write there.
        const [program, ...args] = unprivileged(["touch", path.join(appDir, "probe")]);
        const touch = spawnSync(program!, args);
        expect(touch.status).not.toBe(0);
      }
      const before = folderState(appDir);

      const server = await startStandalone(appDir, {
        VERCEL: "1",
        DATABASE_URL: database.url,
        HOME: os.tmpdir(),
        PILLBOX_SETUP_TOKEN: SETUP_TOKEN,
        PILLBOX_DEMO_DELAY_MS: "5",
      });
      cleanup.push(() => server.stop());
      await waitUntilLive(server);
      expect(server.output()).toContain('"inProcess":true');
      expect(server.output()).toContain(`/setup?token=${SETUP_TOKEN}`);
      // The app's port and no other: the simulated RedPill opened none.
      expect(listeningPorts(server.child.pid!)).toEqual([server.port]);

      const setup = await fetch(`${server.url}/api/setup`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-pillbox-setup-token": SETUP_TOKEN },
        body: JSON.stringify(ADMIN),
      });
      expect(setup.status, await setup.clone().text()).toBe(201);
      const admin = new Session(server.url);
      expect(await admin.signIn(ADMIN.email, ADMIN.password)).toBe(true);

      const { models } = (await (await admin.fetch("/api/models")).json()) as { models: { id: string }[] };
      expect(models.length).toBeGreaterThan(0);
      const reply = await sendChat(admin, chatBody("Hello from a read-only function", models[0]!.id));
      expect(reply.finished).toBe(true);
      expect(reply.text.length).toBeGreaterThan(0);
      let rows: UsageRow[] = [];
      while (rows.length === 0 || rows.some((row) => row.status === "pending")) {
        await new Promise((r) => setTimeout(r, 100));
        rows = ((await (await admin.fetch("/api/admin/usage?limit=10")).json()) as { usage: UsageRow[] }).usage;
      }
      expect(rows.map((row) => row.status)).toEqual(["ok"]);
      expect(Number(rows[0]!.costUsd)).toBeGreaterThan(0);
      const mine = (await (await admin.fetch("/api/usage/me")).json()) as { totals: { requests: number } };
      expect(mine.totals.requests).toBe(1);
      expect(listeningPorts(server.child.pid!)).toEqual([server.port]);

      await server.stop();
      expect(folderState(appDir)).toEqual(before);
      expect(server.output()).not.toMatch(/EACCES|EROFS|permission denied/i);
    },
  );
});

