import "server-only";
import { attest, type Attestation } from "@/lib/tee/attest";
import { redpillGet, type Fetched } from "@/lib/tee/redpill-get";
import { checkSignature, signatureMissing } from "@/lib/tee/signature-checks";
import type { TeeVerdict } from "@/lib/tee/types";

export interface ReplyToVerify {
  modelId: string;
  /** the chat completion id RedPill gave the reply */
  completionId: string;
  /** SHA-256 (hex) of the exact request body sent and response body received; null when not hashed in full */
  requestSha256: string | null;
  responseSha256: string | null;
}

/** RedPill may need a moment after a stream before its signature is there: ask a few times. */
const SIGNATURE_ATTEMPTS = 3;
const RETRY_DELAY_MS = 750;

async function fetchSignature(reply: ReplyToVerify): Promise<Fetched> {
  let last: Fetched = { ok: false, status: null, detail: "was not asked" };
  for (let attempt = 1; attempt <= SIGNATURE_ATTEMPTS; attempt++) {
    last = await redpillGet(`/signature/${encodeURIComponent(reply.completionId)}`, { model: reply.modelId, signing_algo: "ecdsa" });
    // Only a missing signature (404) or no answer is worth another try; any other answer is final.
    if (last.ok || (last.status !== null && last.status !== 404)) return last;
    if (attempt < SIGNATURE_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
  }
  return last;
}

/**
 * Verifies one reply of a TEE model, as RedPill's verifiers do: the model's attestation (cached while
 * fresh), then the reply's signature over the hashes of the exact bytes exchanged, signed by an
 * attested key. Never throws for what RedPill answers: a failure is a `failed` verdict saying why.
 */
export async function verifyReply(reply: ReplyToVerify): Promise<TeeVerdict & { attestation: Attestation }> {
  const [attestation, signature] = await Promise.all([attest(reply.modelId), fetchSignature(reply)]);
  const outcome = signature.ok
    ? await checkSignature(signature.body, {
        requestSha256: reply.requestSha256,
        responseSha256: reply.responseSha256,
        attestedAddresses: attestation.ok ? attestation.signingAddresses : [],
      })
    : signatureMissing(`the signature endpoint ${signature.detail}${signature.status === 404 || signature.status === null ? ` (asked ${SIGNATURE_ATTEMPTS} times)` : ""}`);
  const checks = [...attestation.checks, ...outcome.checks];
  // Verified only when every check passed, apart from optional services that were not run.
  const failed = checks.some((c) => c.ok === false) || outcome.checks.some((c) => c.ok !== true);
  return {
    status: failed ? "failed" : "verified",
    modelId: reply.modelId,
    signingAddress: outcome.signer,
    checks,
    attestation,
    evidence: {
      format: "pillbox-tee-evidence/1",
      model: reply.modelId,
      completionId: reply.completionId,
      requestSha256: reply.requestSha256,
      responseSha256: reply.responseSha256,
      attestation: null,
      signature: signature.ok ? signature.body : null,
      checkedAt: new Date().toISOString(),
    },
  };
}
