import "server-only";
import { createHash } from "node:crypto";
import { clearWindow, hitWindow, pruneWindows, refundWindow } from "@/lib/db/rate-limit";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

/** Sign-in attempts per 15 minutes, counted in the database so every instance shares them. */
const WINDOW_SECONDS = 15 * 60;
const ACCOUNT_LIMIT = 10;
const IP_LIMIT = 50;

export interface SignInAttempt {
  email: string;
  ip: string | null;
}

// The typed email is hashed: the table then holds no addresses, real or mistyped.
const accountKey = (email: string) =>
  `signin:account:${createHash("sha256").update(email.trim().toLowerCase()).digest("base64url")}`;
const ipKey = (ip: string) => `signin:ip:${ip}`;

export function tooManySignIns(retryAfterSeconds: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return new AppError("rate_limit:auth", `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });
}

/**
 * Takes one point from the account's and the IP's window before the password is checked, and
 * throws a 429 AppError once either is over its limit. Counting up front keeps concurrent
 * guesses from slipping past the limit; signInSucceeded gives the points back, so in effect
 * failed attempts are what count. The answer is the same whether or not the account exists.
 * Without a client IP only the account limit applies (Next fills X-Forwarded-For with the connecting
 * address when no proxy does, so that is rare).
 */
export async function consumeSignInAttempt(attempt: SignInAttempt): Promise<void> {
  if (Math.random() < 0.02) pruneWindows().catch((err: unknown) => log.warn("pruning rate-limit windows failed", { err }));
  const hits = [{ ...(await hitWindow({ key: accountKey(attempt.email), windowSeconds: WINDOW_SECONDS })), limit: ACCOUNT_LIMIT }];
  if (attempt.ip) hits.push({ ...(await hitWindow({ key: ipKey(attempt.ip), windowSeconds: WINDOW_SECONDS })), limit: IP_LIMIT });
  const over = hits.filter((hit) => hit.points > hit.limit);
  if (over.length) throw tooManySignIns(Math.max(...over.map((hit) => hit.retryAfterSeconds)));
}

/** A correct password: the account starts over, and the IP gets its point back. */
export async function signInSucceeded(attempt: SignInAttempt): Promise<void> {
  await clearWindow({ key: accountKey(attempt.email) });
  if (attempt.ip) await refundWindow({ key: ipKey(attempt.ip) });
}

/** The email a credentials sign-in request names (form or JSON body), without consuming it. */
async function attemptedEmail(request: Request): Promise<string> {
  try {
    const copy = request.clone();
    const type = copy.headers.get("content-type") ?? "";
    const body: unknown = type.includes("json") ? await copy.json() : Object.fromEntries(await copy.formData());
    const email = body && typeof body === "object" ? (body as Record<string, unknown>).email : undefined;
    return typeof email === "string" ? email : "";
  } catch {
    return "";
  }
}

/** Auth.js set a session cookie: the sign-in worked. */
function signedIn(response: Response): boolean {
  return response.headers.getSetCookie().some((cookie) => /authjs\.session-token(\.\d+)?=[^;]/.test(cookie));
}

/** Wraps Auth.js's credentials callback: 429 JSON with Retry-After before Auth.js runs. */
export async function throttleCredentialsCallback<R extends Request>(
  request: R,
  ip: string | null,
  run: (request: R) => Promise<Response>,
): Promise<Response> {
  const attempt = { email: await attemptedEmail(request), ip };
  try {
    await consumeSignInAttempt(attempt);
  } catch (error) {
    if (error instanceof AppError) return error.toResponse();
    throw error;
  }
  const response = await run(request);
  if (signedIn(response)) await signInSucceeded(attempt);
  return response;
}
