import "server-only";
import { env } from "@/lib/env";
import { getJson } from "@/lib/tee/redpill-get";
import type { AttestationNode, TeeCheck } from "@/lib/tee/types";

/**
 * The optional quote services that check what Pillbox cannot check alone: the Intel signature chain
 * of a TDX quote, and NVIDIA's appraisal of the GPU evidence. Off unless configured; a service that
 * is off is reported as not checked (null), never as passed.
 */
export const EXTERNAL_CHECKS = {
  intel_quote_verified: "Intel TDX quote signature chain (external quote service)",
  nvidia_gpu_verified: "NVIDIA GPU attestation (NRAS)",
} as const;

const post = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

async function intelCheck(nodes: AttestationNode[]): Promise<TeeCheck> {
  const base = { id: "intel_quote_verified", label: EXTERNAL_CHECKS.intel_quote_verified };
  const url = env.PILLBOX_TEE_INTEL_VERIFIER_URL;
  if (!url) return { ...base, ok: null, detail: "not checked: PILLBOX_TEE_INTEL_VERIFIER_URL is not set" };
  for (const [index, node] of nodes.entries()) {
    const answer = await getJson(url, {}, env.PILLBOX_TEE_TIMEOUT_MS, post({ hex: node.intel_quote }));
    const where = nodes.length > 1 ? `node ${index + 1}: ` : "";
    if (!answer.ok) return { ...base, ok: false, detail: `${where}the quote service ${answer.detail}` };
    const quote = (answer.body as { quote?: { verified?: unknown; message?: unknown } } | null)?.quote;
    if (quote?.verified !== true) {
      return { ...base, ok: false, detail: `${where}the quote service did not verify the quote${typeof quote?.message === "string" ? `: ${quote.message}` : ""}` };
    }
  }
  return { ...base, ok: true, detail: `verified by ${new URL(url).host}` };
}

function jwtClaims(token: unknown): Record<string, unknown> | null {
  if (typeof token !== "string") return null;
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function nvidiaCheck(nodes: AttestationNode[], nonce: string): Promise<TeeCheck> {
  const base = { id: "nvidia_gpu_verified", label: EXTERNAL_CHECKS.nvidia_gpu_verified };
  const url = env.PILLBOX_TEE_NVIDIA_VERIFIER_URL;
  if (!url) return { ...base, ok: null, detail: "not checked: PILLBOX_TEE_NVIDIA_VERIFIER_URL is not set" };
  for (const [index, node] of nodes.entries()) {
    const where = nodes.length > 1 ? `node ${index + 1}: ` : "";
    let payload: unknown;
    try {
      payload = JSON.parse(node.nvidia_payload ?? "");
    } catch {
      return { ...base, ok: false, detail: `${where}there is no GPU evidence to appraise` };
    }
    const answer = await getJson(url, {}, env.PILLBOX_TEE_TIMEOUT_MS, post(payload));
    if (!answer.ok) return { ...base, ok: false, detail: `${where}NRAS ${answer.detail}` };
    // NRAS answers [["JWT", <overall token>], {<per-GPU tokens>}]; the overall verdict is a claim of the first.
    const first = Array.isArray(answer.body) ? (answer.body[0] as unknown) : null;
    const claims = jwtClaims(Array.isArray(first) ? first[1] : null);
    if (claims?.["x-nvidia-overall-att-result"] !== true) return { ...base, ok: false, detail: `${where}NRAS did not attest the GPUs` };
    const eatNonce = claims.eat_nonce;
    if (typeof eatNonce === "string" && eatNonce.toLowerCase() !== nonce) {
      return { ...base, ok: false, detail: `${where}NRAS appraised evidence for another nonce` };
    }
  }
  return { ...base, ok: true, detail: `x-nvidia-overall-att-result is true (${new URL(url).host})` };
}

export function externalChecks(nodes: AttestationNode[], nonce: string): Promise<TeeCheck[]> {
  return Promise.all([intelCheck(nodes), nvidiaCheck(nodes, nonce)]);
}
