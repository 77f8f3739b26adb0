import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export const recordUsage = (record: Prisma.UsageRecordUncheckedCreateInput) =>
  db.usageRecord.create({ data: record });

export const listRecentUsage = ({ limit = 100 }: { limit?: number } = {}) =>
  db.usageRecord.findMany({
    orderBy: { createdAt: "desc" },
    take: limit,
    include: { user: { select: { email: true, name: true } } },
  });
