import "server-only";
import { AppError } from "@/lib/errors";

/** Largest request body the API takes (images travel inline as data URLs). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The JSON body, not validated yet (the key is checked first). Any content type is read as JSON
 * (curl's `-d` sends form encoding), as OpenAI's API does.
 */
export async function readJsonBody(request: Request): Promise<unknown> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) throw new AppError("bad_request:api", "The request body is too large.");
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("bad_request:api", "The request body is too large.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("bad_request:api", "The request body must be JSON.");
  }
}

/** The body's `model`, when it is a plausible model id: what the key's check reads along. */
export function modelIdOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("model" in body)) return null;
  const { model } = body;
  return typeof model === "string" && model.length > 0 && model.length <= 200 ? model : null;
}
