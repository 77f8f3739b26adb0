import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { startAppServer } from "../support/app-server";
import { TEST_REDPILL_KEY } from "../support/constants";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { readUiStream } from "../support/ui-stream";

interface LogLine {
  level: string;
  time: string;
  message: string;
  requestId?: string;
  error?: string;
  [field: string]: unknown;
}

/** The server's own output from `start` on: every non-empty line, parsed (a line that is not JSON fails). */
function logLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`not a JSON log line: ${line}\n\nThe whole output:\n${output}`);
      }
      return parsed as LogLine;
    });
}

it("logs JSON lines at LOG_LEVEL with request ids, and never the key (given with whitespace) or AUTH_SECRET", async () => {
  const authSecret = randomBytes(32).toString("base64url");
  const app = await startAppServer({
    database: "embedded",
    authSecret,
    // The key as people paste it: surrounding whitespace. The server uses the trimmed key.
    env: { REDPILL_API_KEY: `  ${TEST_REDPILL_KEY}\n`, LOG_LEVEL: "warn" },
  });
  try {
    const admin = await setUpAdmin(app);
    // Next's start-up banner ("▲ Next.js …", "✓ Ready in …") is plain text; once the server has
    // answered requests, every line it writes is a JSON log line.
    const start = app.output().length;
    const appOutput = () => app.output().slice(start);

    // An upstream error whose message holds the key and the secret (as a careless proxy's might).
    app.fake!.enqueue({ type: "error", status: 500, message: `upstream broke: key=${TEST_REDPILL_KEY} secret=${authSecret}` });
    const response = await admin.postJson("/api/chat", chatBody("Hello"));
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toBeTruthy();
    const stream = await readUiStream(response);
    expect(stream.errors.join(" ")).toMatch(/RedPill had a problem \(500\)/);
    // The upstream call used the trimmed key.
    const upstream = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!;
    expect(upstream.headers.authorization).toBe(`Bearer ${TEST_REDPILL_KEY}`);

    let failure: LogLine | undefined;
    for (let i = 0; i < 100 && !failure; i++) {
      failure = logLines(appOutput()).find((l) => l.message === "upstream call failed");
      if (!failure) await new Promise((r) => setTimeout(r, 100));
    }
    expect(failure).toMatchObject({ level: "warn", requestId, error: expect.stringContaining("upstream broke: key=[redacted] secret=[redacted]") });

    const lines = logLines(appOutput());
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(["warn", "error", "fatal"]).toContain(line.level); // LOG_LEVEL=warn: no info lines
      expect(typeof line.time).toBe("string");
    }
    const output = app.output();
    expect(output).not.toContain('"level":"info"');
    expect(output).not.toContain(TEST_REDPILL_KEY);
    expect(output).not.toContain(authSecret);
  } finally {
    await app.stop();
  }
}, 300_000);
