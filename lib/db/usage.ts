import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";
import type { Prisma } from "@/lib/db/generated/client";

/** The error code the sweeper gives a row it settles; a late real outcome may still overwrite it. */
export const SWEPT_CODE = "interrupted_unsettled";

export const insertPendingUsage = (tx: Tx, record: Omit<Prisma.UsageRecordUncheckedCreateInput, "status">) =>
  tx.usageRecord.create({ data: { ...record, status: "pending" }, select: { id: true, createdAt: true } });

/**
 * Locks a reserved row for settling. Only a pending row (or one the sweeper settled while the call
 * was in fact still running) is returned, so a row is settled by its call once.
 */
export async function lockUnsettledUsage(tx: Tx, { id }: { id: string }) {
  const rows = await tx.$queryRaw<{ reservedUsd: Prisma.Decimal; costUsd: Prisma.Decimal; status: string }[]>`
    SELECT "reservedUsd", "costUsd", "status" FROM "UsageRecord"
    WHERE "id" = ${id}::uuid AND ("status" = 'pending' OR ("status" = 'interrupted' AND "errorCode" = ${SWEPT_CODE}))
    FOR UPDATE`;
  return rows[0] ?? null;
}

export const updateUsage = (tx: Tx, { id, ...outcome }: Prisma.UsageRecordUncheckedUpdateInput & { id: string }) =>
  tx.usageRecord.update({ where: { id }, data: { ...outcome, settledAt: new Date() } });

/**
 * Rows still pending after `before` belong to calls that can no longer settle them (a crash, a
 * restart): they become `interrupted` at their reserved cost.
 */
export const sweepPendingUsage = ({ before }: { before: Date }) =>
  db.$executeRaw`
    UPDATE "UsageRecord"
    SET "status" = 'interrupted', "costUsd" = "reservedUsd", "errorCode" = ${SWEPT_CODE}, "settledAt" = now(),
        "durationMs" = GREATEST("durationMs", (EXTRACT(EPOCH FROM (now() - "createdAt")) * 1000)::int)
    WHERE "status" = 'pending' AND "createdAt" < ${before}`;

export const listRecentUsage = ({ limit = 100 }: { limit?: number } = {}) =>
  db.usageRecord.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { user: { select: { email: true, name: true } } },
  });
