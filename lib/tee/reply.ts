import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { createPendingVerification, requiresVerifiedReplies, settleVerification } from "@/lib/db/message-verifications";
import { log } from "@/lib/log";
import { keepAlive } from "@/lib/server/after-response";
import { holdOpen } from "@/lib/server/shutdown";
import type { ExchangeHashes } from "@/lib/tee/capture";
import { verifyReply } from "@/lib/tee/verify";
import type { TeeCheck } from "@/lib/tee/types";

export interface StoredReply {
  user: { id: string; email: string };
  chatId: string;
  messageId: string;
  /** the reply's usage row and the groups it was made under */
  usageId: string;
  groupIds: string[];
  modelId: string;
  completionId: string;
  hashes: ExchangeHashes;
}

/**
 * Once a TEE model's reply is stored: records its verification as pending, then verifies it in the
 * background (off the reply's stream) and stores the verdict. A failure under a group that requires
 * verified replies is flagged and audited. Resolves true once the pending verification is stored.
 */
export async function startReplyVerification(reply: StoredReply): Promise<boolean> {
  let required: boolean;
  try {
    required = await requiresVerifiedReplies({ groupIds: reply.groupIds });
    await createPendingVerification({
      messageId: reply.messageId,
      chatId: reply.chatId,
      usageId: reply.usageId,
      modelId: reply.modelId,
      completionId: reply.completionId,
      requestSha256: reply.hashes.requestSha256,
      responseSha256: reply.hashes.responseSha256,
      required,
    });
  } catch (err) {
    log.error("could not start the reply's TEE verification", { err, chatId: reply.chatId });
    return false;
  }
  // A graceful shutdown waits for it (within its grace period), and a serverless function is kept
  // alive for it; a verification cut short is settled as failed when it is next read (lib/tee/view.ts).
  keepAlive(holdOpen(finishVerification(reply, required)));
  return true;
}

async function finishVerification(reply: StoredReply, required: boolean): Promise<void> {
  try {
    const verdict = await verifyReply({
      modelId: reply.modelId,
      completionId: reply.completionId,
      requestSha256: reply.hashes.requestSha256,
      responseSha256: reply.hashes.responseSha256,
    });
    const flagged = required && verdict.status === "failed";
    await settleVerification(
      reply.messageId,
      {
        status: verdict.status,
        signingAddress: verdict.signingAddress,
        checks: verdict.checks as unknown as Prisma.InputJsonValue,
        evidence: verdict.evidence as unknown as Prisma.InputJsonValue,
        attestationId: verdict.attestation.id,
      },
      flagged
        ? failedVerificationAudit({ ...reply, checks: verdict.checks, after: { userId: reply.user.id, userEmail: reply.user.email } })
        : undefined,
    );
    const failed = verdict.checks.filter((c) => c.ok === false).map((c) => c.id);
    if (verdict.status === "failed") log.warn("TEE reply failed verification", { chatId: reply.chatId, modelId: reply.modelId, failed, required });
    else log.info("TEE reply verified", { chatId: reply.chatId, modelId: reply.modelId });
  } catch (err) {
    log.error("could not verify the TEE reply", { err, chatId: reply.chatId });
  }
}

/** The audit row of a reply that failed verification under a group's "require verified replies" (no actor: the system). */
export function failedVerificationAudit(reply: {
  messageId: string;
  chatId: string;
  modelId: string;
  completionId: string;
  checks: TeeCheck[];
  /** more to record, e.g. whose reply it was */
  after?: Record<string, string>;
}): Prisma.AuditLogUncheckedCreateInput {
  return {
    actorId: null,
    actorEmail: null,
    ip: null,
    action: "reply.verification_failed",
    targetType: "message",
    targetId: reply.messageId,
    after: {
      ...reply.after,
      chatId: reply.chatId,
      modelId: reply.modelId,
      completionId: reply.completionId,
      failedChecks: reply.checks.filter((c) => c.ok === false).map((c) => ({ id: c.id, detail: c.detail })),
    },
  };
}
