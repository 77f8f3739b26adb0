import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { TeeVerification } from "@/lib/db/generated/enums";
import { insertAuditEntry } from "@/lib/db/audit";

export interface PendingVerification {
  messageId: string;
  chatId: string;
  usageId: string;
  modelId: string;
  completionId: string;
  requestSha256: string | null;
  responseSha256: string | null;
  required: boolean;
}

/** The reply's verification starts as pending, and its usage row says so. */
export const createPendingVerification = (v: PendingVerification) =>
  db.$transaction([
    db.messageVerification.create({ data: { ...v, status: "pending", checks: [] } }),
    db.usageRecord.updateMany({ where: { id: v.usageId }, data: { verification: "pending" } }),
  ]);

export interface SettledVerification {
  status: Exclude<TeeVerification, "pending">;
  signingAddress: string | null;
  checks: Prisma.InputJsonValue;
  evidence: Prisma.InputJsonValue;
  attestationId: string | null;
}

/**
 * Stores the verdict (only over a pending row: a verdict is final), mirrors it on the usage row and,
 * when given, writes the audit entry in the same transaction. False when the row was not pending.
 */
export const settleVerification = (
  messageId: string,
  verdict: SettledVerification,
  audit?: Prisma.AuditLogUncheckedCreateInput,
): Promise<boolean> =>
  db.$transaction(async (tx) => {
    const updated = await tx.messageVerification.updateManyAndReturn({
      where: { messageId, status: "pending" },
      data: verdict,
      select: { usageId: true },
    });
    const row = updated[0];
    if (!row) return false;
    if (row.usageId) await tx.usageRecord.updateMany({ where: { id: row.usageId }, data: { verification: verdict.status } });
    if (audit) await insertAuditEntry(tx, audit);
    return true;
  });

/** A reply's verification, with the attestation it used (its report, for the manifest and the evidence). */
export const getMessageVerification = ({ chatId, messageId }: { chatId: string; messageId: string }) =>
  db.messageVerification.findFirst({
    where: { chatId, messageId },
    include: { attestation: { select: { report: true, nonce: true, fetchedAt: true } } },
  });

/** Each verified-or-not reply of a chat: what the chat view shows before it asks for details. */
export const listVerificationStatuses = ({ chatId }: { chatId: string }) =>
  db.messageVerification.findMany({ where: { chatId }, select: { messageId: true, status: true, required: true } });

/** Whether any of these groups requires verified replies. */
export const requiresVerifiedReplies = async ({ groupIds }: { groupIds: string[] }) =>
  groupIds.length > 0 && (await db.group.count({ where: { id: { in: groupIds }, requireVerified: true } })) > 0;
