// CI requires the PostgreSQL half: an unreachable PostgreSQL fails the run there, and is only a
// printed skip on a developer's machine.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/constants";

function probe(env: Record<string, string>) {
  const script = `import("./tests/support/postgres.ts").then((m) => (m.postgresReachable ?? m.default.postgresReachable)()).then(
    (reason) => console.log("REASON", reason),
    (error) => { console.log("THROWN", error.message); process.exit(3); })`;
  return spawnSync(process.execPath, ["--import", "tsx", "-e", script], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "test",
      PILLBOX_TEST_PG_URL: "postgresql://postgres@127.0.0.1:1/test",
      ...env,
    },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("an unreachable PostgreSQL", () => {
  it("fails the run when CI is set", () => {
    const result = probe({ CI: "1" });
    expect(result.status).toBe(3);
    expect(result.stdout).toMatch(/THROWN PostgreSQL at postgresql:\/\/postgres@127\.0\.0\.1:1\/test is unreachable .*CI requires/);
  });

  it("is a printed skip reason on a developer's machine", () => {
    const result = probe({});
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/REASON PostgreSQL at .* is unreachable/);
  });
});
