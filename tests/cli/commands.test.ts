import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/constants";
import { blankEnvFileVariables } from "../support/isolated-env";
import { createTestDatabase, postgresReachable } from "../support/postgres";

function npmRun(args: string[], env: Record<string, string>) {
  const result = spawnSync("npm", ["run", "--silent", ...args], {
    cwd: ROOT,
    env: { ...blankEnvFileVariables(), PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

const pgSkip = await postgresReachable();

describe("npm run user:create", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-cli-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("creates a user in the embedded database and refuses a duplicate", () => {
    const env = { PILLBOX_DATA_DIR: dataDir };
    const args = ["user:create", "--", "--email", "Grace@Example.com", "--password", "hopper-1906", "--role", "admin"];
    const first = npmRun(args, env);
    expect(first.output).toContain("Created admin grace@example.com");
    expect(first.status).toBe(0);
    const again = npmRun(args, env);
    expect(again.status).toBe(1);
    expect(again.output).toContain("already exists");
  });

  it("explains its arguments when they are wrong", () => {
    const result = npmRun(["user:create", "--", "--email", "not-an-email", "--password", "short"], { PILLBOX_DATA_DIR: dataDir });
    expect(result.status).toBe(2);
    expect(result.output).toContain("usage: npm run user:create");
  });

  it.skipIf(pgSkip !== null)("creates a member in PostgreSQL with a hashed password, and audits it", async () => {
    const database = await createTestDatabase("pillbox_cli");
    try {
      const result = npmRun(["user:create", "--", "--email", "lin@example.com", "--password", "lin-password", "--name", "Lin"], {
        DATABASE_URL: database.url,
      });
      expect(result.status, result.output).toBe(0);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ id: string; name: string; role: string; passwordHash: string }>(
        `SELECT id, name, role, "passwordHash" FROM "User" WHERE email = 'lin@example.com'`,
      );
      const audit = await client.query<{ action: string; targetId: string; actorId: string | null }>(
        `SELECT action, "targetId", "actorId" FROM "AuditLog"`,
      );
      await client.end();
      // Audited like an admin's POST /api/admin/users, with no actor.
      expect(audit.rows).toEqual([{ action: "user.create", targetId: rows[0]?.id, actorId: null }]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ name: "Lin", role: "MEMBER" });
      expect(rows[0]!.passwordHash).toMatch(/^\$2[aby]\$/);
      expect(rows[0]!.passwordHash).not.toContain("lin-password");
    } finally {
      await database.drop();
    }
  });
});

describe("npm start configuration check", () => {
  it("stops with a message naming the bad variable", () => {
    const result = npmRun(["start"], { REDPILL_BASE_URL: "not a url", PILLBOX_DATA_DIR: os.tmpdir() });
    expect(result.status).toBe(1);
    expect(result.output).toContain("Invalid configuration");
    expect(result.output).toContain("REDPILL_BASE_URL");
  });

  it("also stops a server started with plain `next start`", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "--port", "0"], {
      cwd: ROOT,
      env: {
        ...blankEnvFileVariables(),
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "production",
        REDPILL_BASE_URL: "not a url",
        PILLBOX_DATA_DIR: os.tmpdir(),
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain("REDPILL_BASE_URL: Invalid URL");
  });

  it("refuses a DATABASE_POOL_SIZE that is not a positive whole number", () => {
    const result = npmRun(["start"], { DATABASE_POOL_SIZE: "0", PILLBOX_DATA_DIR: os.tmpdir() });
    expect(result.status).toBe(1);
    expect(result.output).toContain("Invalid configuration");
    expect(result.output).toContain("DATABASE_POOL_SIZE");
  });

  it("refuses a PILLBOX_MIGRATE_ON_START that is not 1 or 0", () => {
    const result = npmRun(["start"], { PILLBOX_MIGRATE_ON_START: "yes", PILLBOX_DATA_DIR: os.tmpdir() });
    expect(result.status).toBe(1);
    expect(result.output).toContain("PILLBOX_MIGRATE_ON_START: must be 1 or 0 (true or false)");
  });

  it("refuses a DATABASE_URL that is not PostgreSQL", () => {
    const result = npmRun(["start"], { DATABASE_URL: "mysql://localhost/db", PILLBOX_DATA_DIR: os.tmpdir() });
    expect(result.status).toBe(1);
    expect(result.output).toContain("DATABASE_URL");
  });
});
