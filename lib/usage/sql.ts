import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import type { UsageFilters } from "@/lib/usage/filters";

/** `createdAt` is a UTC timestamp without zone: compare it with UTC wall-clock text. */
export const utcTimestamp = (instant: Date) => Prisma.sql`${instant.toISOString().replace("Z", "")}::timestamp`;

/** What a row costs: its settled cost, or while it is pending, what it reserved. */
export const SPEND = Prisma.sql`CASE WHEN r."status" = 'pending' THEN r."reservedUsd" ELSE r."costUsd" END`;

/** The WHERE clause (over `"UsageRecord" r`) for the shared filters; every usage view uses it. */
export function usageWhere(filters: Omit<UsageFilters, "limit" | "cursor">): Prisma.Sql {
  const { period, userId, groupId, modelId, status } = filters;
  const parts = [Prisma.sql`r."createdAt" >= ${utcTimestamp(period.from)}`, Prisma.sql`r."createdAt" < ${utcTimestamp(period.to)}`];
  if (userId) parts.push(Prisma.sql`r."userId" = ${userId}::uuid`);
  if (groupId) parts.push(Prisma.sql`r."groupIds" @> ARRAY[${groupId}::uuid]`);
  if (modelId) parts.push(Prisma.sql`r."modelId" = ${modelId}`);
  if (status) parts.push(Prisma.sql`r."status" = ${status}::"UsageStatus"`);
  return Prisma.join(parts, " AND ");
}
