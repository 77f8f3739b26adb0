import { createHash, randomBytes } from "node:crypto";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { z } from "zod";
import type { FakeModel } from "./catalog";
import { invalidRequest, modelNotFound, openAIError, type OpenAIErrorBody } from "./errors";
import { buildQuote } from "./tee-quote";

/**
 * RedPill's TEE endpoints, laid out as the real ones: an attestation report whose TDX quote binds
 * the model's signing address and the caller's nonce, and per completion an EIP-191 signature over
 * `<model>:<sha256 of the request body>:<sha256 of the response body>`, signed by a test key.
 */

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** Red paths of the attestation report, per model. */
export const ATTESTATION_FAULTS = ["wrong-nonce", "no-echo", "gpu-nonce", "manifest", "error", "hang"] as const;
export type AttestationFault = (typeof ATTESTATION_FAULTS)[number];
export const attestationFaultSchema = z.object({ model: z.string().min(1), fault: z.enum(ATTESTATION_FAULTS).nullable() });

/** Red paths of one reply's signature, chosen with `[[fake:tee <fault>]]` in the prompt. */
export const REPLY_FAULTS = ["other-key", "bad-hash", "sig-404", "sig-hang"] as const;
export type ReplyFault = (typeof REPLY_FAULTS)[number];

const TEE_DIRECTIVE = /\[\[fake:tee[ \t]+([a-z0-9-]+)[ \t]*\]\]/i;

export function parseTeeDirective(text: string): ReplyFault | null {
  const fault = TEE_DIRECTIVE.exec(text)?.[1]?.toLowerCase();
  return (REPLY_FAULTS as readonly string[]).includes(fault ?? "") ? (fault as ReplyFault) : null;
}

/** The key a model's enclave signs with: fixed per model, so tests and demo mode know it. */
export function fakeSigner(model: string): PrivateKeyAccount {
  return privateKeyToAccount(`0x${sha256(`pillbox fake RedPill TEE signer:${model}`)}`);
}

const OTHER_SIGNER = privateKeyToAccount(`0x${sha256("pillbox fake RedPill: a key no enclave attested")}`);

/** The deployment manifest the quote's mr_config_id commits to. */
export function fakeAppCompose(model: string): string {
  const slug = model.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  return JSON.stringify({
    manifest_version: 2,
    name: `redpill-${slug}`,
    runner: "docker-compose",
    docker_compose_file: `services:\n  vllm:\n    image: vllm/vllm-openai:v0.9.2\n    command: --model ${model}\n    runtime: nvidia\n  vllm-proxy:\n    image: phalanetwork/vllm-proxy:v0.2.4\n    ports:\n      - "8000:8000"\n`,
    kms_enabled: true,
    gateway_enabled: true,
    public_logs: true,
    public_sysinfo: true,
    local_key_provider_enabled: false,
    no_instance_id: false,
  });
}

/** What the fake keeps of a TEE completion until its signature is asked for. */
interface CompletionRecord {
  model: string;
  fault: ReplyFault | null;
  requestSha256: string;
  /** null until the response was sent in full */
  responseSha256: () => string | null;
}

const MAX_COMPLETIONS = 2000;

type Result = { status: number; body: object } | { hang: true };

export class FakeTee {
  private readonly completions = new Map<string, CompletionRecord>();
  private readonly faults = new Map<string, AttestationFault>();

  setAttestationFault(model: string, fault: AttestationFault | null): void {
    if (fault) this.faults.set(model, fault);
    else this.faults.delete(model);
  }

  recordCompletion(id: string, record: CompletionRecord): void {
    this.completions.set(id, record);
    if (this.completions.size > MAX_COMPLETIONS) this.completions.delete(this.completions.keys().next().value!);
  }

  clear(): void {
    this.completions.clear();
    this.faults.clear();
  }

  /** `GET /v1/attestation/report?model=…&nonce=…&signing_algo=ecdsa` */
  report(models: readonly FakeModel[], query: Record<string, string>): Result {
    const model = teeModel(models, query.model);
    if ("status" in model) return model;
    const nonce = query.nonce ?? randomBytes(32).toString("hex");
    if (!/^[0-9a-f]{64}$/i.test(nonce)) {
      return { status: 400, body: invalidRequest("nonce must be 64 hex characters", "nonce") };
    }
    const fault = this.faults.get(model.id) ?? null;
    if (fault === "hang") return { hang: true };
    if (fault === "error") return { status: 500, body: openAIError("Attestation service unavailable", "server_error", "server_error") };
    const node = attestationOf(model.id, nonce.toLowerCase(), fault);
    return { status: 200, body: { ...node, all_attestations: [node] } };
  }

  /** `GET /v1/signature/{chatcmpl-id}?model=…&signing_algo=ecdsa` */
  async signature(models: readonly FakeModel[], completionId: string, query: Record<string, string>): Promise<Result> {
    const model = teeModel(models, query.model);
    if ("status" in model) return model;
    const record = this.completions.get(completionId);
    const responseSha256 = record?.responseSha256() ?? null;
    if (!record || record.model !== model.id || record.fault === "sig-404" || responseSha256 === null) {
      return { status: 404, body: openAIError("Chat id not found or expired", "invalid_request_error", "not_found") };
    }
    if (record.fault === "sig-hang") return { hang: true };
    const responseField = record.fault === "bad-hash" ? sha256(`not the response:${responseSha256}`) : responseSha256;
    const text = `${model.id}:${record.requestSha256}:${responseField}`;
    const signer = record.fault === "other-key" ? OTHER_SIGNER : fakeSigner(model.id);
    return {
      status: 200,
      body: {
        text,
        signature: await signer.signMessage({ message: text }),
        signing_address: signer.address,
        signing_algo: "ecdsa",
      },
    };
  }
}

function attestationOf(model: string, nonce: string, fault: AttestationFault | null) {
  const signer = fakeSigner(model);
  const appCompose = fakeAppCompose(model);
  const boundNonce = fault === "wrong-nonce" ? randomBytes(32).toString("hex") : nonce;
  const reportData = Buffer.concat([
    Buffer.from(signer.address.slice(2), "hex"),
    Buffer.alloc(12),
    Buffer.from(boundNonce, "hex"),
  ]);
  const manifestHash = sha256(fault === "manifest" ? `${appCompose} ` : appCompose);
  const mrConfigId = Buffer.concat([Buffer.from([0x01]), Buffer.from(manifestHash, "hex"), Buffer.alloc(15)]);
  const gpuNonce = fault === "gpu-nonce" ? randomBytes(32).toString("hex") : nonce;
  const evidence = (kind: string) => Buffer.from(`fake ${kind} for ${model}:${gpuNonce}`).toString("base64");
  return {
    signing_address: signer.address,
    signing_algo: "ecdsa",
    request_nonce: fault === "no-echo" ? randomBytes(32).toString("hex") : nonce,
    intel_quote: buildQuote({ reportData, mrConfigId, label: model }).toString("hex"),
    nvidia_payload: JSON.stringify({
      nonce: gpuNonce,
      arch: "HOPPER",
      evidence_list: [{ certificate: evidence("certificate chain"), evidence: evidence("GPU evidence"), arch: "HOPPER" }],
    }),
    event_log: "[]",
    info: {
      app_id: sha256(`app:${model}`).slice(0, 40),
      instance_id: sha256(`instance:${model}`).slice(0, 40),
      app_name: `redpill-${model}`,
      tcb_info: { app_compose: appCompose },
    },
  };
}

function teeModel(models: readonly FakeModel[], id: string | undefined): FakeModel | { status: number; body: OpenAIErrorBody } {
  if (!id) return { status: 400, body: invalidRequest("Missing required query parameter: model", "model") };
  const model = models.find((m) => m.id === id);
  if (!model) return { status: 404, body: modelNotFound(id) };
  if (!model.is_tee) {
    return {
      status: 400,
      body: openAIError(`Model \`${id}\` does not run in a TEE and has no attestation.`, "invalid_request_error", "attestation_not_supported", "model"),
    };
  }
  return model;
}
