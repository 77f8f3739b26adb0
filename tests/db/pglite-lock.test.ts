// The embedded database on disk: one process at a time (pid lock file), stale locks are taken over (by
// exactly one of several racing processes), and data survives closing and reopening.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

describe("embedded PGlite database on disk", () => {
  let dataDir: string;
  let lockFile: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "pillbox-data-"));
    lockFile = path.join(dataDir, "pglite.lock");
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("refuses while another live process holds the lock, takes over a stale one, keeps data across reopening", async () => {
    await writeFile(lockFile, `${process.ppid}\n`);
    const first = createDatabase(undefined, dataDir);
    await expect(first.prisma.user.count()).rejects.toThrow(
      `the embedded database is in use by process ${process.ppid}; stop Pillbox first or set DATABASE_URL`,
    );
    expect(await readFile(lockFile, "utf8")).toBe(`${process.ppid}\n`);

    // The holder died without cleaning up: the same client now gets in.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    expect(dead).toBeGreaterThan(0);
    await writeFile(lockFile, `${dead}\n`);
    expect((await applyMigrations(first.connection)).applied.length).toBeGreaterThan(0);
    await first.prisma.user.create({ data: { email: "kept@example.com", name: "Kept", passwordHash: "h" } });
    expect(await readFile(lockFile, "utf8")).toBe(`${process.pid}\n`);

    const twin = createDatabase(undefined, dataDir);
    await expect(twin.prisma.user.count()).rejects.toThrow(/already open in this process/);
    await twin.close();

    // A second process gets the clear error instead of opening (and corrupting) the files.
    const probe = path.join(dataDir, "probe.mts");
    await writeFile(
      probe,
      `import { openDbConnection, resolveDbTarget } from ${JSON.stringify(path.resolve("lib/db/adapter.ts"))};
      const connection = openDbConnection(resolveDbTarget("", ${JSON.stringify(dataDir)}));
      await connection.session().then(() => console.log("opened"), (e) => console.log(e.message));`,
    );
    const tsx = path.resolve("node_modules", "tsx", "dist", "cli.mjs");
    const child = spawnSync(process.execPath, [tsx, probe], { encoding: "utf8" });
    expect(child.stdout).toContain(`the embedded database is in use by process ${process.pid}`);

    await first.close();
    expect(existsSync(lockFile)).toBe(false);

    const reopened = createDatabase(undefined, dataDir);
    try {
      expect((await applyMigrations(reopened.connection)).applied).toEqual([]);
      expect(await reopened.prisma.user.findUnique({ where: { email: "kept@example.com" } })).toMatchObject({ name: "Kept" });
    } finally {
      await reopened.close();
    }
  });

  it("lets exactly one of several processes racing for a stale lock take it; the others are told it is in use", async () => {
    const raceDir = path.join(dataDir, "race");
    const raceLock = `${raceDir}.lock`;
    // Each contender takes the lock on "take", answers on one line, and frees it on "release".
    const contender = path.join(dataDir, "contender.mts");
    await writeFile(
      contender,
      `import { createInterface } from "node:readline";
      import { acquirePidLock } from ${JSON.stringify(path.resolve("lib/db/pglite-lock.ts"))};
      let release: (() => void) | undefined;
      console.log(\`ready \${process.pid}\`);
      for await (const line of createInterface({ input: process.stdin })) {
        if (line === "take") {
          try {
            release = acquirePidLock(${JSON.stringify(raceDir)});
            console.log("won");
          } catch (error) {
            console.log(error instanceof Error ? error.message : String(error));
          }
        } else if (line === "release") {
          release?.();
          release = undefined;
          console.log("released");
        }
      }`,
    );
    const tsx = path.resolve("node_modules", "tsx", "dist", "cli.mjs");
    const children: { child: ChildProcessWithoutNullStreams; lines: Interface }[] = [];
    for (let i = 0; i < 4; i++) {
      const child = spawn(process.execPath, [tsx, contender]);
      children.push({ child, lines: createInterface({ input: child.stdout }) });
    }
    const readLine = (lines: Interface) => new Promise<string>((resolve) => lines.once("line", resolve));
    const tell = async (message: string) => {
      const answers = children.map(({ lines }) => readLine(lines));
      for (const { child } of children) child.stdin.write(`${message}\n`);
      return Promise.all(answers);
    };
    try {
      // (tsx runs the script in a child process of its own: each contender says its pid.)
      const ready = await Promise.all(children.map(({ lines }) => readLine(lines)));
      const pids = ready.map((line) => Number(/^ready (\d+)$/.exec(line)?.[1]));
      expect(pids.every((pid) => pid > 0)).toBe(true);
      for (let round = 0; round < 6; round++) {
        const dead = spawnSync(process.execPath, ["-e", ""]).pid;
        await writeFile(raceLock, `${dead}\n`);
        const answers = await tell("take");
        expect(answers.filter((a) => a === "won"), answers.join("\n")).toHaveLength(1);
        const winner = pids[answers.indexOf("won")];
        expect(await readFile(raceLock, "utf8")).toBe(`${winner}\n`);
        for (const answer of answers.filter((a) => a !== "won")) {
          expect(answer).toMatch(/^the embedded database is in use by process (\d+); stop Pillbox first/);
          expect(pids).toContain(Number(/process (\d+)/.exec(answer)?.[1]));
        }
        expect(await tell("release")).toEqual(["released", "released", "released", "released"]);
        expect(existsSync(raceLock)).toBe(false);
        expect(existsSync(`${raceLock}.takeover`)).toBe(false);
      }
    } finally {
      for (const { child } of children) child.stdin.end();
    }
  });
});
