import "server-only";
import { db } from "@/lib/db/client";

/**
 * The RateLimit table: fixed-window counters shared by every instance on the database (sign-in
 * throttling, per-minute limits). Every write is one statement, atomic on PostgreSQL and PGlite.
 */

export interface WindowCount {
  /** points used in the current window, this one included */
  points: number;
  /** whole seconds until the window ends (at least 1) */
  retryAfterSeconds: number;
}

// Timestamps are UTC without a zone, as Prisma stores DateTime; the database clock is the one
// every instance shares.
const NOW = `(now() AT TIME ZONE 'UTC')`;

/**
 * Adds one point to a fixed window and returns the new count, in one statement: concurrent
 * requests on any number of instances each see their own increment (no read-then-write race).
 * An expired window starts over at 1.
 */
export async function hitWindow({ key, windowSeconds }: { key: string; windowSeconds: number }): Promise<WindowCount> {
  const rows = await db.$queryRawUnsafe<{ points: number; retry_after: number }[]>(
    `INSERT INTO "RateLimit" ("key", "points", "expiresAt")
     VALUES ($1, 1, ${NOW} + make_interval(secs => $2::int))
     ON CONFLICT ("key") DO UPDATE SET
       "points" = CASE WHEN "RateLimit"."expiresAt" <= ${NOW} THEN 1 ELSE "RateLimit"."points" + 1 END,
       "expiresAt" = CASE WHEN "RateLimit"."expiresAt" <= ${NOW} THEN EXCLUDED."expiresAt" ELSE "RateLimit"."expiresAt" END
     RETURNING "points", GREATEST(1, CEIL(EXTRACT(EPOCH FROM ("expiresAt" - ${NOW}))))::int AS retry_after`,
    key,
    windowSeconds,
  );
  const row = rows[0]!;
  return { points: Number(row.points), retryAfterSeconds: Number(row.retry_after) };
}

/** Takes one point back (a sign-in that turned out fine). */
export async function refundWindow({ key }: { key: string }): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE "RateLimit" SET "points" = GREATEST("points" - 1, 0) WHERE "key" = $1`, key);
}

export async function clearWindow({ key }: { key: string }): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}

/*
 * Windows keyed by their start (`rpm:<user>:<window start>`): each window has its own row, so it
 * never needs resetting. Used for per-minute request and token limits.
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

/** Drops windows that ended over an hour ago, so the table stays small. */
export async function pruneWindows(): Promise<void> {
  await db.$executeRawUnsafe(`DELETE FROM "RateLimit" WHERE "expiresAt" < ${NOW} - interval '1 hour'`);
}
