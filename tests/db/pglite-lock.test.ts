// The embedded database on disk: one process at a time (pid lock file), stale locks are taken over, and
// data survives closing and reopening.
import { spawnSync } from "node:child_process";
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
});
