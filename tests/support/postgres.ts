import { randomBytes } from "node:crypto";
import pg from "pg";
import { PG_ADMIN_URL } from "./constants";

/**
 * null when PostgreSQL is usable, else why not: the PostgreSQL half of a suite is then skipped on a
 * developer's machine. In CI (CI set) an unreachable PostgreSQL fails the run instead: the
 * PostgreSQL half is required there, and a silent skip would hide it.
 */
export async function postgresReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  let reason: string | null = null;
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    reason = `PostgreSQL at ${PG_ADMIN_URL} is unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
  if (reason && process.env.CI) throw new Error(`${reason}; CI requires the PostgreSQL half of the tests`);
  return reason;
}

/** A fresh database for one test file, empty or a copy of `template`; `drop()` removes it. */
export async function createTestDatabase(prefix = "pillbox_test", template?: string) {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * The one database for a suite whose behaviour does not depend on it (authorization rules, chat
 * settings, titles): PostgreSQL, or the embedded database where PostgreSQL is unreachable (`pgSkip`,
 * from postgresReachable()). Suites whose queries or locking differ between the two run on both.
 */
export const anyDatabase = (pgSkip: string | null): "embedded" | "postgres" => (pgSkip ? "embedded" : "postgres");
