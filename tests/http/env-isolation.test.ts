// Tests never read a developer's .env: the servers and scripts they start get every variable a
// .env file names explicitly (empty = unset), and @next/env does not override a variable that is set.
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { startAppServer } from "../support/app-server";
import { ROOT, TEST_REDPILL_KEY } from "../support/constants";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { readUiStream } from "../support/ui-stream";

// The most specific file `next start` reads; a developer rarely has one. Restored if present.
const FILE = path.join(ROOT, ".env.production.local");
const BOGUS = [
  "DATABASE_URL=postgresql://nobody@127.0.0.1:1/not_a_database",
  "REDPILL_BASE_URL=http://127.0.0.1:9/v1",
  "REDPILL_API_KEY=sk-from-a-developers-dotenv-file",
  "PILLBOX_MAX_OUTPUT_TOKENS=7",
].join("\n");

it("ignores a .env file in the repository: database, upstream, key and limits come from the test", async () => {
  const existing = fs.existsSync(FILE) ? fs.readFileSync(FILE, "utf8") : null;
  // (A run killed mid-way may have left our own file behind: that one is not restored.)
  const previous = existing === `${BOGUS}\n` ? null : existing;
  fs.writeFileSync(FILE, `${BOGUS}\n`);
  let app: Awaited<ReturnType<typeof startAppServer>> | undefined;
  try {
    // db:migrate ran against the embedded database (the bogus DATABASE_URL would have failed it).
    app = await startAppServer({ database: "embedded" });
  } finally {
    if (previous) fs.writeFileSync(FILE, previous);
    else fs.rmSync(FILE, { force: true });
  }
  try {
    const admin = await setUpAdmin(app);
    app.fake!.reset();
    const stream = await readUiStream(await admin.postJson("/api/chat", chatBody("which upstream?")));
    expect(stream.errors).toEqual([]);
    const upstream = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!;
    expect(upstream.headers.authorization).toBe(`Bearer ${TEST_REDPILL_KEY}`);
    expect((upstream.body as { max_tokens: number }).max_tokens).not.toBe(7);
    expect(app.output()).not.toContain("sk-from-a-developers-dotenv-file");
  } finally {
    await app.stop();
  }
}, 300_000);
