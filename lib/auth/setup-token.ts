import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { bearerToken } from "@/lib/keys/secret";

/** POST /api/setup takes the token in the body's `token`, or in this header. */
const SETUP_TOKEN_HEADER = "x-pillbox-setup-token";

/** The token a setup request carries outside its body: the header, `Authorization: Bearer`, or the link's `?token=`. */
export function setupTokenFrom(request: Request): string | undefined {
  return request.headers.get(SETUP_TOKEN_HEADER) ?? bearerToken(request.headers) ?? new URL(request.url).searchParams.get("token") ?? undefined;
}

/** Whether first-run setup needs PILLBOX_SETUP_TOKEN. */
export function setupTokenRequired(): boolean {
  return env.PILLBOX_SETUP_TOKEN !== undefined;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** True when no token is configured, or `given` is it (compared in constant time: digests of equal length). */
export function setupTokenMatches(given: string | null | undefined): boolean {
  const expected = env.PILLBOX_SETUP_TOKEN;
  if (expected === undefined) return true;
  return timingSafeEqual(digest(expected), digest((given ?? "").trim()));
}

export function assertSetupToken(given: string | null | undefined): void {
  if (setupTokenMatches(given)) return;
  throw new AppError(
    "forbidden:setup",
    given ? "That setup token is wrong." : "Setup needs the setup token: open the setup link the server printed at start.",
  );
}

/** The link the server prints at start while no admin exists. */
export function setupLink(): string {
  const base = (env.AUTH_URL ?? `http://localhost:${process.env.PORT || "3000"}`).replace(/\/+$/, "");
  const token = env.PILLBOX_SETUP_TOKEN;
  return token === undefined ? `${base}/setup` : `${base}/setup?token=${encodeURIComponent(token)}`;
}
