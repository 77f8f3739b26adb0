import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export type Tx = Prisma.TransactionClient;

export const insertAuditEntry = (tx: Tx, entry: Prisma.AuditLogUncheckedCreateInput) => tx.auditLog.create({ data: entry });

export interface AuditFilter {
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  /** keyset cursor: the last entry of the previous page */
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Newest first, keyset-paginated on (createdAt, id) so a page never skips or repeats a row. */
export const listAuditEntries = ({ actorId, action, targetId, from, to, after, limit }: AuditFilter) =>
  db.auditLog.findMany({
    where: {
      ...(actorId ? { actorId } : {}),
      ...(action ? { action: action.endsWith(".") ? { startsWith: action } : action } : {}),
      ...(targetId ? { targetId } : {}),
      ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });

export const listAuditActions = async () =>
  (await db.auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } })).map(
    (row) => row.action,
  );
