import { createHash } from "node:crypto";
import { parseTdxQuote } from "@/lib/tee/quote";
import { attestationReportSchema, short, type AttestationNode, type TeeCheck } from "@/lib/tee/types";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const ATTESTATION_CHECKS = {
  nonce_echoed: "The report echoes Pillbox's fresh nonce",
  quote_format: "The Intel TDX quote parses (version 4, TDX)",
  report_data_address: "The quote's report_data binds the signing address",
  report_data_nonce: "The quote's report_data binds Pillbox's nonce",
  gpu_nonce: "The NVIDIA GPU evidence carries Pillbox's nonce",
  manifest_hash: "mr_config_id matches the hash of the attested manifest",
} as const;
type AttestationCheckId = keyof typeof ATTESTATION_CHECKS;

export interface AttestationOutcome {
  /** every check passed on every node */
  ok: boolean;
  /** the attested signing addresses (lowercase 0x…), of every node */
  signingAddresses: string[];
  nodes: AttestationNode[];
  checks: TeeCheck[];
}

type NodeResult = Record<AttestationCheckId, { ok: boolean; detail: string }>;

function checkNode(node: AttestationNode, nonce: string): NodeResult {
  const address = node.signing_address.toLowerCase().replace(/^0x/, "");
  const echoed = (node.request_nonce ?? "").toLowerCase();
  const result = {
    nonce_echoed: {
      ok: echoed === nonce,
      detail: echoed === nonce ? `request_nonce is ${short(nonce)}` : `request_nonce is ${short(echoed) || "missing"}, expected ${short(nonce)}`,
    },
  } as Partial<NodeResult>;

  let quote: ReturnType<typeof parseTdxQuote> | null = null;
  try {
    quote = parseTdxQuote(node.intel_quote);
    result.quote_format = { ok: true, detail: `TDX quote v${quote.version}` };
  } catch (error) {
    result.quote_format = { ok: false, detail: (error as Error).message };
  }
  if (quote) {
    const boundAddress = quote.reportData.subarray(0, 32).toString("hex");
    const expectedAddress = /^[0-9a-f]{40}$/.test(address) ? address.padEnd(64, "0") : null;
    result.report_data_address = {
      ok: expectedAddress !== null && boundAddress === expectedAddress,
      detail: expectedAddress === null ? `signing_address ${node.signing_address} is not a 20-byte address` : `report_data[0:32] is ${short(boundAddress)}`,
    };
    const boundNonce = quote.reportData.subarray(32, 64).toString("hex");
    result.report_data_nonce = {
      ok: boundNonce === nonce,
      detail: boundNonce === nonce ? `report_data[32:64] is the nonce` : `report_data[32:64] is ${short(boundNonce)}, expected ${short(nonce)}`,
    };
    const compose = node.info?.tcb_info?.app_compose;
    const expected = compose === undefined ? null : `01${sha256(compose)}`;
    const actual = quote.mrConfigId.toString("hex");
    result.manifest_hash = {
      ok: expected !== null && actual.startsWith(expected),
      detail: expected === null ? "the report has no app_compose manifest" : `mr_config_id is ${short(actual)}, sha256(app_compose) is ${short(expected.slice(2))}`,
    };
  } else {
    const skipped = { ok: false, detail: "the quote could not be read" };
    result.report_data_address = skipped;
    result.report_data_nonce = skipped;
    result.manifest_hash = skipped;
  }
  result.gpu_nonce = gpuNonce(node.nvidia_payload, nonce);
  return result as NodeResult;
}

function gpuNonce(payload: string | undefined, nonce: string): { ok: boolean; detail: string } {
  if (!payload) return { ok: false, detail: "the report has no nvidia_payload" };
  try {
    const parsed = JSON.parse(payload) as { nonce?: unknown };
    const gpu = typeof parsed.nonce === "string" ? parsed.nonce.toLowerCase() : "";
    return gpu === nonce ? { ok: true, detail: "nvidia_payload.nonce is the nonce" } : { ok: false, detail: `nvidia_payload.nonce is ${short(gpu) || "missing"}, expected ${short(nonce)}` };
  } catch {
    return { ok: false, detail: "nvidia_payload is not JSON" };
  }
}

/** The local checks of an attestation report asked for with `nonce` (64 lowercase hex characters). */
export function checkAttestation(raw: unknown, nonce: string): AttestationOutcome {
  const parsed = attestationReportSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = "the attestation report is not in RedPill's format";
    return {
      ok: false,
      signingAddresses: [],
      nodes: [],
      checks: Object.entries(ATTESTATION_CHECKS).map(([id, label]) => ({ id, label, ok: false, detail })),
    };
  }
  const report = parsed.data;
  const nodes = report.all_attestations?.length ? report.all_attestations : [report];
  const results = nodes.map((node) => checkNode(node, nonce));
  const checks = (Object.keys(ATTESTATION_CHECKS) as AttestationCheckId[]).map((id): TeeCheck => {
    const failing = results.findIndex((r) => !r[id].ok);
    const ok = failing === -1;
    const which = results[ok ? 0 : failing]![id];
    const detail = nodes.length === 1 ? which.detail : ok ? `all ${nodes.length} nodes: ${which.detail}` : `node ${failing + 1} of ${nodes.length}: ${which.detail}`;
    return { id, label: ATTESTATION_CHECKS[id], ok, detail };
  });
  return {
    ok: checks.every((c) => c.ok),
    signingAddresses: [...new Set(nodes.map((n) => n.signing_address.toLowerCase()))],
    nodes,
    checks,
  };
}
