import OpenAI from "openai";
import { expect } from "vitest";
import type { AppServer } from "./app-server";
import type { Session } from "./session";

export interface CreatedKey {
  id: string;
  secret: string;
  prefix: string;
}

/** Creates a personal API key as `session` through POST /api/keys (expects 201). */
export async function createApiKey(session: Session, name = "test key", expiresInDays?: number): Promise<CreatedKey> {
  const response = await session.postJson("/api/keys", { name, ...(expiresInDays ? { expiresInDays } : {}) });
  expect(response.status, await response.clone().text()).toBe(201);
  const { key, secret } = (await response.json()) as { key: { id: string; prefix: string }; secret: string };
  return { id: key.id, prefix: key.prefix, secret };
}

/** The official `openai` SDK pointed at Pillbox's /api/v1 with a personal key (no retries: each status is seen as sent). */
export function openaiFor(app: Pick<AppServer, "url">, secret: string): OpenAI {
  return new OpenAI({ baseURL: `${app.url}/api/v1`, apiKey: secret, maxRetries: 0 });
}
