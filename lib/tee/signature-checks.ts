import { recoverMessageAddress, type Hex } from "viem";
import { short, signatureSchema, type TeeCheck } from "@/lib/tee/types";

export const REPLY_CHECKS = {
  signature_received: "RedPill returned the reply's signature",
  request_hash: "The signed request hash is of the exact bytes Pillbox sent",
  response_hash: "The signed response hash is of the exact bytes Pillbox received",
  signature_valid: "The signature (EIP-191) recovers to the stated signing address",
  signer_attested: "The signer is an attested enclave key of this model",
} as const;
type ReplyCheckId = keyof typeof REPLY_CHECKS;

const check = (id: ReplyCheckId, ok: boolean | null, detail: string): TeeCheck => ({ id, label: REPLY_CHECKS[id], ok, detail });

export interface SignatureOutcome {
  checks: TeeCheck[];
  /** the address recovered from the signature (lowercase), when it could be */
  signer: string | null;
}

/** The checks when the signature could not be had: it is missing, and nothing after it was checked. */
export function signatureMissing(detail: string): SignatureOutcome {
  const notChecked = "not checked: there is no signature";
  return {
    signer: null,
    checks: [
      check("signature_received", false, detail),
      check("request_hash", null, notChecked),
      check("response_hash", null, notChecked),
      check("signature_valid", null, notChecked),
      check("signer_attested", null, notChecked),
    ],
  };
}

function hashCheck(id: "request_hash" | "response_hash", signed: string | undefined, ours: string | null): TeeCheck {
  if (ours === null) return check(id, false, "Pillbox could not hash these bytes (the body was not fully read)");
  if (!signed) return check(id, false, "the signed text has no such field");
  const ok = signed.toLowerCase() === ours;
  return check(id, ok, ok ? `sha256 ${short(ours)}` : `signed ${short(signed)}, Pillbox hashed ${short(ours)}`);
}

/**
 * Checks RedPill's signature of one reply: the last two `:`-separated fields of the signed text are
 * the request and response hashes, and the EIP-191 signature must come from an attested address.
 */
export async function checkSignature(
  raw: unknown,
  { requestSha256, responseSha256, attestedAddresses }: { requestSha256: string | null; responseSha256: string | null; attestedAddresses: string[] },
): Promise<SignatureOutcome> {
  const parsed = signatureSchema.safeParse(raw);
  if (!parsed.success) return signatureMissing("the signature answer is not in RedPill's format");
  const { text, signature, signing_address: stated } = parsed.data;
  const fields = text.split(":");
  const [signedRequest, signedResponse] = fields.length >= 2 ? fields.slice(-2) : [undefined, undefined];

  let signer: string | null = null;
  let signatureValid: TeeCheck;
  try {
    signer = (await recoverMessageAddress({ message: text, signature: signature as Hex })).toLowerCase();
    const claimed = stated?.toLowerCase();
    signatureValid =
      claimed === undefined || claimed === signer
        ? check("signature_valid", true, `recovered ${signer}`)
        : check("signature_valid", false, `recovered ${signer}, but RedPill stated ${claimed}`);
  } catch (error) {
    signatureValid = check("signature_valid", false, `the signature does not recover: ${(error as Error).message.split("\n")[0]}`);
  }
  const attested = signer !== null && attestedAddresses.includes(signer);
  return {
    signer,
    checks: [
      check("signature_received", true, `signing_algo ${parsed.data.signing_algo ?? "unstated"}`),
      hashCheck("request_hash", signedRequest, requestSha256),
      hashCheck("response_hash", signedResponse, responseSha256),
      signatureValid,
      signer === null
        ? check("signer_attested", null, "not checked: no signer was recovered")
        : attestedAddresses.length === 0
          ? check("signer_attested", false, "no signing address of this model is attested")
          : check("signer_attested", attested, attested ? `${signer} is attested` : `${signer} is not among the attested ${attestedAddresses.join(", ")}`),
    ],
  };
}
