import { expect } from "vitest";
import type { AppServer } from "./app-server";
import { Session } from "./session";
import { readUiStream, type UiStreamResult } from "./ui-stream";

export const ADMIN = { email: "ada@example.com", name: "Ada Admin", password: "correct horse battery" };

/** First-run setup through the public API, then a signed-in admin session. */
export async function setUpAdmin(app: Pick<AppServer, "url">): Promise<Session> {
  const response = await fetch(`${app.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  if (response.status !== 201) throw new Error(`setup failed: ${response.status} ${await response.text()}`);
  const session = new Session(app.url);
  if (!(await session.signIn(ADMIN.email, ADMIN.password))) throw new Error("admin sign-in failed");
  return session;
}

export function chatBody(text: string, modelId = "anthropic/claude-sonnet-4.5", id: string = crypto.randomUUID()) {
  return {
    id,
    modelId,
    message: { id: crypto.randomUUID(), role: "user", parts: [{ type: "text", text }] },
  };
}

/** Sends a chat message as `session`, expects its reply's stream (200) and reads it to the end, with no error in it. */
export async function sendChat(session: Session, body: object): Promise<UiStreamResult> {
  const response = await session.postJson("/api/chat", body);
  expect(response.status, await response.clone().text()).toBe(200);
  const result = await readUiStream(response);
  expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
  return result;
}
