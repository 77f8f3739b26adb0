import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { findMessage } from "@/lib/db/messages";
import { getMessageVerification, settleVerification } from "@/lib/db/message-verifications";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { failedVerificationAudit } from "@/lib/tee/reply";
import type { TeeCheck, TeeEvidence, VerificationView } from "@/lib/tee/types";

/**
 * A verification still pending this long after it started will not finish (its server stopped):
 * one takes at most a few timeouts (attestation, quote services, three signature attempts).
 */
const staleAfterMs = () => 10 * env.PILLBOX_TEE_TIMEOUT_MS + 5_000;

function manifestOf(report: unknown): string | null {
  const info = (report as { info?: { tcb_info?: { app_compose?: unknown } } } | null)?.info;
  const compose = info?.tcb_info?.app_compose;
  return typeof compose === "string" ? compose : null;
}

/** The verification of a reply in the given chat (whose ownership the caller checked); 404 for another message. */
export async function verificationOf({ chatId, messageId }: { chatId: string; messageId: string }): Promise<VerificationView> {
  const [message, stored] = await Promise.all([findMessage({ chatId, id: messageId }), getMessageVerification({ chatId, messageId })]);
  if (!message) throw new AppError("not_found:chat", "Message not found.");
  let row = stored;
  if (row?.status === "pending" && Date.now() - row.updatedAt.getTime() > staleAfterMs()) {
    const check: TeeCheck = {
      id: "verification_finished",
      label: "The verification ran to its end",
      ok: false,
      detail: "it did not finish: the server verifying it stopped",
    };
    const evidence: TeeEvidence = {
      format: "pillbox-tee-evidence/1",
      model: row.modelId,
      completionId: row.completionId,
      requestSha256: row.requestSha256,
      responseSha256: row.responseSha256,
      attestation: null,
      signature: null,
      checkedAt: new Date().toISOString(),
    };
    await settleVerification(
      messageId,
      { status: "failed", signingAddress: null, checks: [check] as unknown as Prisma.InputJsonValue, evidence: evidence as unknown as Prisma.InputJsonValue, attestationId: null },
      row.required
        ? failedVerificationAudit({ messageId, chatId, modelId: row.modelId, completionId: row.completionId, checks: [check] })
        : undefined,
    );
    row = await getMessageVerification({ chatId, messageId });
  }
  if (!row) {
    const model = (message.metadata as { modelId?: unknown } | null)?.modelId;
    return {
      status: "not_applicable",
      model: typeof model === "string" ? model : null,
      signingAddress: null,
      required: false,
      checks: [],
      attestedAt: null,
      manifest: null,
      evidence: null,
    };
  }
  const { attestation } = row;
  const evidence = row.evidence as unknown as TeeEvidence | null;
  return {
    status: row.status,
    model: row.modelId,
    signingAddress: row.signingAddress,
    required: row.required,
    checks: row.checks as unknown as TeeCheck[],
    attestedAt: attestation?.fetchedAt.toISOString() ?? null,
    manifest: manifestOf(attestation?.report),
    evidence: evidence && {
      ...evidence,
      attestation: attestation && { nonce: attestation.nonce, fetchedAt: attestation.fetchedAt.toISOString(), report: attestation.report },
    },
  };
}
