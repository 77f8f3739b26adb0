import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { UsageFilters, UsageStatusFilter } from "@/lib/usage/filters";
import { usageWhere, utcTimestamp } from "@/lib/usage/sql";

/** One ledger row with its user, as the records API, the dashboard and the CSV export show it. */
export interface UsageRecordRow {
  id: string;
  /** ISO 8601, UTC */
  createdAt: string;
  userId: string;
  userEmail: string;
  userName: string;
  groupIds: string[];
  chatId: string | null;
  /** the personal API key the call came through (null: the web app) */
  apiKeyId: string | null;
  messageId: string | null;
  modelId: string;
  status: UsageStatusFilter;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  usageEstimated: boolean;
  /** decimal strings, USD */
  promptPrice: string;
  completionPrice: string;
  reservedUsd: string;
  costUsd: string;
  ttftMs: number | null;
  durationMs: number;
  upstreamId: string | null;
  /** a TEE reply's verification; null: not a TEE reply */
  verification: "verified" | "failed" | "pending" | null;
  settledAt: string | null;
}

export interface UsageRecordsPage {
  records: UsageRecordRow[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: string | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

interface Cursor {
  createdAt: Date;
  id: string;
}

export const encodeCursor = (row: Pick<UsageRecordRow, "createdAt" | "id">) =>
  Buffer.from(`${row.createdAt}|${row.id}`).toString("base64url");

export function decodeCursor(cursor: string): Cursor {
  const [createdAt, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(createdAt ?? "");
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("bad_request:api", "Invalid request: cursor is not one this API gave out.");
  }
  return { createdAt: date, id };
}

/** Newest first; a keyset page after `cursor`, so pages never skip or repeat rows as new ones arrive. */
export async function usageRecordsPage(
  filters: Omit<UsageFilters, "cursor" | "limit">,
  { limit, cursor }: { limit: number; cursor?: Cursor | null },
): Promise<UsageRecordsPage> {
  const after = cursor
    ? Prisma.sql`AND (r."createdAt", r."id") < (${utcTimestamp(cursor.createdAt)}, ${cursor.id}::uuid)`
    : Prisma.empty;
  const rows = await db.$queryRaw<UsageRecordRow[]>`
    SELECT r."id"::text AS "id", to_char(r."createdAt", ${Prisma.raw(ISO)}) AS "createdAt",
           r."userId"::text AS "userId", u."email" AS "userEmail", u."name" AS "userName",
           r."groupIds"::text[] AS "groupIds", r."chatId"::text AS "chatId", r."apiKeyId"::text AS "apiKeyId", r."messageId", r."modelId",
           r."status"::text AS "status", r."errorCode", r."promptTokens", r."completionTokens",
           r."cachedTokens", r."reasoningTokens", r."usageEstimated",
           r."promptPrice"::text AS "promptPrice", r."completionPrice"::text AS "completionPrice",
           r."reservedUsd"::text AS "reservedUsd", r."costUsd"::text AS "costUsd",
           r."ttftMs", r."durationMs", r."upstreamId", r."verification"::text AS "verification",
           to_char(r."settledAt", ${Prisma.raw(ISO)}) AS "settledAt"
    FROM "UsageRecord" r JOIN "User" u ON u."id" = r."userId"
    WHERE ${usageWhere(filters)} ${after}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${limit + 1}`;
  const records = rows.slice(0, limit);
  const last = records.at(-1);
  return { records, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export function usageRecords(filters: UsageFilters): Promise<UsageRecordsPage> {
  return usageRecordsPage(filters, { limit: filters.limit, cursor: filters.cursor ? decodeCursor(filters.cursor) : null });
}
