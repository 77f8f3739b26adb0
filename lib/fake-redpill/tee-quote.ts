import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";

/**
 * A TDX quote laid out as Intel's v4 format: a 48-byte header, the 584-byte TD report body, then
 * the signature data (an ECDSA P-256 signature over header and body by an attestation key, that
 * key, and an empty certification section). The attestation key is this fake's own, so the quote
 * parses like a real one but no Intel chain vouches for it.
 */

export const QUOTE_HEADER_BYTES = 48;
export const TD_REPORT_BYTES = 584;

const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";

let attestationKey: { privateKey: KeyObject; publicKey: Buffer } | null = null;

function quoteKey() {
  if (!attestationKey) {
    const pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const jwk = pair.publicKey.export({ format: "jwk" });
    attestationKey = {
      privateKey: pair.privateKey,
      publicKey: Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]),
    };
  }
  return attestationKey;
}

/** 48 bytes of a measurement that stays the same for a model (a stand-in for MRTD and RTMRs). */
function measurement(label: string): Buffer {
  const digest = createHash("sha512").update(label).digest();
  return digest.subarray(0, 48);
}

export interface QuoteContents {
  /** the 64 bytes of report_data */
  reportData: Buffer;
  /** the 48 bytes of mr_config_id */
  mrConfigId: Buffer;
  /** seeds the measurements */
  label: string;
}

export function buildQuote({ reportData, mrConfigId, label }: QuoteContents): Buffer {
  const header = Buffer.alloc(QUOTE_HEADER_BYTES);
  header.writeUInt16LE(4, 0); // version
  header.writeUInt16LE(2, 2); // attestation key type: ECDSA-256 with P-256
  header.writeUInt32LE(0x81, 4); // TEE type: TDX
  Buffer.from(INTEL_QE_VENDOR_ID, "hex").copy(header, 12);

  const body = Buffer.alloc(TD_REPORT_BYTES);
  let at = 0;
  const put = (bytes: Buffer, length: number) => {
    bytes.subarray(0, length).copy(body, at);
    at += length;
  };
  put(Buffer.from("0b010300000000000000000000000000", "hex"), 16); // tee_tcb_svn
  put(measurement(`mr_seam:${label}`), 48);
  put(Buffer.alloc(48), 48); // mr_signer_seam
  put(Buffer.alloc(8), 8); // seam_attributes
  put(Buffer.from("0000001000000000", "hex"), 8); // td_attributes
  put(Buffer.from("e742060000000000", "hex"), 8); // xfam
  put(measurement(`mr_td:${label}`), 48);
  put(mrConfigId, 48);
  put(Buffer.alloc(48), 48); // mr_owner
  put(Buffer.alloc(48), 48); // mr_owner_config
  for (const rtmr of [0, 1, 2, 3]) put(measurement(`rtmr${rtmr}:${label}`), 48);
  put(reportData, 64);

  const key = quoteKey();
  const signed = Buffer.concat([header, body]);
  const signature = sign("sha256", signed, { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  const certification = Buffer.alloc(6);
  certification.writeUInt16LE(5, 0); // PCK certificate chain, left empty here
  const signatureData = Buffer.concat([signature, key.publicKey, certification]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(signatureData.length, 0);
  return Buffer.concat([signed, length, signatureData]);
}
