import { z } from "zod";

/** `null`: the check was not run (an optional service that is off, or a step an earlier failure stopped). */
export interface TeeCheck {
  id: string;
  label: string;
  ok: boolean | null;
  detail: string;
}

export const TEE_STATUSES = ["verified", "failed", "pending", "not_applicable"] as const;
export type TeeStatus = (typeof TEE_STATUSES)[number];

/** A long hex value shortened for a check's detail: its first 10 and last 6 characters. */
export const short = (hex: string) => (hex.length > 18 ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : hex);

/** What a reply's verification found: the verdict, every check and the raw evidence. */
export interface TeeVerdict {
  status: Exclude<TeeStatus, "not_applicable" | "pending">;
  modelId: string;
  /** the address that signed the reply (recovered from its signature), when known */
  signingAddress: string | null;
  checks: TeeCheck[];
  evidence: TeeEvidence;
}

/** Everything needed to re-verify a reply with RedPill's open-source verifiers. */
export interface TeeEvidence {
  format: "pillbox-tee-evidence/1";
  model: string;
  completionId: string;
  /** SHA-256 (hex) of the exact request body Pillbox sent, and of the exact response body it received */
  requestSha256: string | null;
  responseSha256: string | null;
  attestation: AttestationEvidence | null;
  /** RedPill's `GET /v1/signature/<id>` answer, as received */
  signature: unknown;
  /** ISO 8601 */
  checkedAt: string;
}

export interface AttestationEvidence {
  /** the fresh nonce Pillbox asked with */
  nonce: string;
  /** ISO 8601 */
  fetchedAt: string;
  /** RedPill's `GET /v1/attestation/report` answer, as received */
  report: unknown;
}

/** What `GET /api/chats/:chatId/messages/:messageId/verification` answers. */
export interface VerificationView {
  status: TeeStatus;
  model: string | null;
  signingAddress: string | null;
  /** a group of the user requires verified replies: a failure is flagged */
  required: boolean;
  checks: TeeCheck[];
  /** when the attestation the reply was checked against was fetched (ISO 8601) */
  attestedAt: string | null;
  /** the attested deployment manifest (app_compose) */
  manifest: string | null;
  evidence: TeeEvidence | null;
}

/** One node's attestation as RedPill sends it (fields Pillbox reads; the rest is kept as evidence). */
export const attestationNodeSchema = z.looseObject({
  signing_address: z.string(),
  signing_algo: z.string().optional(),
  request_nonce: z.string().optional(),
  intel_quote: z.string(),
  nvidia_payload: z.string().optional(),
  info: z.looseObject({ tcb_info: z.looseObject({ app_compose: z.string().optional() }).optional() }).optional(),
});
export type AttestationNode = z.infer<typeof attestationNodeSchema>;

export const attestationReportSchema = attestationNodeSchema.extend({
  all_attestations: z.array(attestationNodeSchema).optional(),
});

export const signatureSchema = z.looseObject({
  text: z.string(),
  signature: z.string(),
  signing_address: z.string().optional(),
  signing_algo: z.string().optional(),
});
