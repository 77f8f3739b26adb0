/**
 * Reads the fields Pillbox checks from an Intel TDX quote (version 4): a 48-byte header, then the
 * 584-byte TD report body. Offsets are in the quote, header included.
 */
const HEADER_BYTES = 48;
const BODY_BYTES = 584;
const MR_CONFIG_ID_OFFSET = 232;
const REPORT_DATA_OFFSET = 568;
const TDX_TEE_TYPE = 0x81;

export interface TdxQuote {
  version: number;
  teeType: number;
  mrConfigId: Buffer;
  reportData: Buffer;
}

export function parseTdxQuote(hex: string): TdxQuote {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (!/^(?:[0-9a-f]{2})+$/i.test(clean)) throw new Error("the quote is not hex");
  const bytes = Buffer.from(clean, "hex");
  if (bytes.length < HEADER_BYTES + BODY_BYTES) throw new Error(`the quote is ${bytes.length} bytes, shorter than a TDX quote`);
  const version = bytes.readUInt16LE(0);
  const teeType = bytes.readUInt32LE(4);
  if (version !== 4) throw new Error(`quote version ${version}, expected 4`);
  if (teeType !== TDX_TEE_TYPE) throw new Error(`TEE type 0x${teeType.toString(16)}, expected 0x81 (TDX)`);
  return {
    version,
    teeType,
    mrConfigId: bytes.subarray(MR_CONFIG_ID_OFFSET, MR_CONFIG_ID_OFFSET + 48),
    reportData: bytes.subarray(REPORT_DATA_OFFSET, REPORT_DATA_OFFSET + 64),
  };
}
