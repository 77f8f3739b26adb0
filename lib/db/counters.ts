import "server-only";
import { db } from "@/lib/db/client";

/**
 * Fixed-window counters in the RateLimit table, shared by every instance on the database. Each
 * window has its own key, so a counter never needs resetting; old windows are deleted by
 * `dropExpiredCounters`. One statement each: atomic on PostgreSQL and PGlite alike.
 */

/** Adds `amount` unless that would pass `limit`; the new count, or null when refused. */
export async function takeFromCounter({ key, amount, limit, expiresAt }: { key: string; amount: number; limit: number; expiresAt: Date }) {
  const rows = await db.$queryRaw<{ points: number }[]>`
    INSERT INTO "RateLimit" ("key", "points", "expiresAt")
    SELECT ${key}, ${amount}, ${expiresAt} WHERE ${amount} <= ${limit}
    ON CONFLICT ("key") DO UPDATE SET "points" = "RateLimit"."points" + ${amount}
      WHERE "RateLimit"."points" + ${amount} <= ${limit}
    RETURNING "points"`;
  return rows[0]?.points ?? null;
}

/** Adds `amount` whatever the count (e.g. tokens already spent). */
export const addToCounter = ({ key, amount, expiresAt }: { key: string; amount: number; expiresAt: Date }) =>
  db.$executeRaw`
    INSERT INTO "RateLimit" ("key", "points", "expiresAt") VALUES (${key}, ${amount}, ${expiresAt})
    ON CONFLICT ("key") DO UPDATE SET "points" = "RateLimit"."points" + ${amount}`;

export async function readCounter({ key }: { key: string }): Promise<number> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { points: true } });
  return row?.points ?? 0;
}

export const dropExpiredCounters = ({ before }: { before: Date }) =>
  db.rateLimit.deleteMany({ where: { expiresAt: { lt: before } } });
