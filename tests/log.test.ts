import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ROOT, TEST_REDPILL_KEY } from "./support/constants";
import { blankEnvFileVariables } from "./support/isolated-env";

const AUTH_SECRET = "a-session-secret-of-at-least-32-characters";

/** Runs lib/log.ts in a fresh process (as the server does) and returns what it wrote where. */
function runLogger(env: Record<string, string>): { stdout: string; stderr: string; status: number | null } {
  const child = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "tests/support/log-probe.ts"], {
    cwd: ROOT,
    env: { ...blankEnvFileVariables(), NODE_ENV: "production", PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: "utf8",
  });
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}


describe("lib/log.ts", () => {
  it("writes JSON lines (info to stdout, warn and error to stderr; console output too) with secrets and sensitive headers redacted", () => {
    const run = runLogger({ REDPILL_API_KEY: `  ${TEST_REDPILL_KEY}\n`, AUTH_SECRET, LOG_LEVEL: "info" });
    expect(run.status, run.stderr).toBe(0);
    const out = run.stdout.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const err = run.stderr.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(out.map((l) => [l.level, l.message])).toEqual([
      ["info", "request seen"],
      ["info", "form"],
      ["info", "debugging detail"],
    ]);
    expect(out[0]!.headers).toEqual({ cookie: "[redacted]", authorization: "[redacted]", accept: "*/*" });
    expect(out[1]).toMatchObject({ password: "[redacted]", email: "ada@example.com" });
    expect(err.map((l) => [l.level, l.message, l.requestId])).toEqual([
      ["error", "upstream failed", "req-1"],
      ["warn", "outside a request", undefined],
      ["warn", "a library warns about [redacted]", undefined],
    ]);
    expect(err[0]).toMatchObject({ error: "said [redacted] and [redacted]", url: "https://x/?key=[redacted]" });
    for (const line of [...out, ...err]) expect(typeof line.time).toBe("string");
    expect(run.stdout + run.stderr).not.toContain(TEST_REDPILL_KEY);
    expect(run.stdout + run.stderr).not.toContain(AUTH_SECRET);
  });

  it("logs only from LOG_LEVEL up, and refuses an unknown level", () => {
    const quiet = runLogger({ LOG_LEVEL: "error" });
    expect(quiet.stdout).toBe("");
    expect(quiet.stderr.trim().split("\n").map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(["upstream failed"]);
    expect(runLogger({ LOG_LEVEL: "silent" })).toMatchObject({ stdout: "", stderr: "", status: 0 });
    const wrong = runLogger({ LOG_LEVEL: "loud" });
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain("LOG_LEVEL");
  });
});
