import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/** The error code the sweeper gives a row it settles; a late real outcome may still overwrite it. */
export const SWEPT_CODE = "interrupted_unsettled";

export const insertPendingUsage = (record: Omit<Prisma.UsageRecordUncheckedCreateInput, "status">) =>
  db.usageRecord.create({ data: { ...record, status: "pending" }, select: { id: true } });

/**
 * Settles a reserved row with the call's outcome. Only a pending row (or one the sweeper settled
 * while the call was in fact still running) is changed, so a row is settled by its call once.
 */
export const settleUsage = ({ id, ...outcome }: Prisma.UsageRecordUncheckedUpdateInput & { id: string }) =>
  db.usageRecord.updateMany({
    where: { id, OR: [{ status: "pending" }, { status: "interrupted", errorCode: SWEPT_CODE }] },
    data: { ...outcome, settledAt: new Date() },
  });

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
