import "server-only";
import { addToCounter, readCounter, takeFromCounter } from "@/lib/db/rate-limit";
import { z } from "zod";
import { AppError } from "@/lib/errors";

const WINDOW_MS = 60_000;

export interface Limits {
  rpm: number | null;
  tpm: number | null;
}

/** A form's per-minute fields: a whole number, or empty for none (null). */
const perMinuteField = z.union([z.literal(""), z.coerce.number().int().min(0).max(100_000_000)]).transform((v) => (v === "" ? null : v));
export const perMinuteFormFields = { rpm: perMinuteField, tpm: perMinuteField };

type LimitSource = { rpm: number | null; tpm: number | null };

/**
 * A user's requests and tokens per minute: their own override, else the most generous limit any of
 * their groups sets (a group that sets none has no say), else unlimited.
 */
export function effectiveLimits(user: LimitSource, groups: LimitSource[]): Limits {
  const generous = (pick: (g: LimitSource) => number | null) => {
    const set = groups.map(pick).filter((n): n is number => n !== null);
    return set.length ? Math.max(...set) : null;
  };
  return { rpm: user.rpm ?? generous((g) => g.rpm), tpm: user.tpm ?? generous((g) => g.tpm) };
}

function currentWindow(now = Date.now()) {
  const start = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  return { start, end: new Date(start + WINDOW_MS) };
}

function refuse(what: string, windowEnd: Date): never {
  const seconds = Math.max(1, Math.ceil((windowEnd.getTime() - Date.now()) / 1000));
  throw new AppError("rate_limit:chat", `You have reached your limit of ${what}. Try again in ${seconds} s.`, {
    headers: { "Retry-After": String(seconds) },
    details: { retryAfterSeconds: seconds },
  });
}

/**
 * Counts this request against the user's per-minute limits, or refuses it with 429 and
 * Retry-After. The counters live in the database, so every instance shares them.
 */
export async function admitRequest({ userId, limits }: { userId: string; limits: Limits }): Promise<void> {
  if (limits.rpm === null && limits.tpm === null) return;
  const window = currentWindow();
  if (limits.tpm !== null) {
    const used = await readCounter({ key: `tpm:${userId}:${window.start}` });
    if (used >= limits.tpm) refuse(`${limits.tpm} tokens per minute`, window.end);
  }
  if (limits.rpm !== null) {
    const taken = await takeFromCounter({ key: `rpm:${userId}:${window.start}`, amount: 1, limit: limits.rpm, expiresAt: window.end });
    if (taken === null) refuse(`${limits.rpm} requests per minute`, window.end);
  }
}

/** Adds a finished call's tokens to the user's current minute. */
export function countTokens({ userId, tokens }: { userId: string; tokens: number }) {
  if (tokens <= 0) return Promise.resolve(0);
  const window = currentWindow();
  return addToCounter({ key: `tpm:${userId}:${window.start}`, amount: tokens, expiresAt: window.end });
}
