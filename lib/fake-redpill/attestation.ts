import { createHash, randomBytes } from "node:crypto";
import type { FakeModel } from "./catalog";
import { invalidRequest, modelNotFound, openAIError, type OpenAIErrorBody } from "./errors";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const signingAddress = (model: string): string => `0x${sha256(`fake-signer:${model}`).slice(0, 40)}`;

type Result = { status: number; body: object };

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

/** `GET /v1/attestation/report?model=…&nonce=…` — plausible shape, obviously fake content. */
export function attestationReport(models: readonly FakeModel[], query: Record<string, string>): Result {
  const model = teeModel(models, query.model);
  if ("status" in model) return model;
  const nonce = query.nonce || randomBytes(32).toString("hex");
  return {
    status: 200,
    body: {
      fake: true,
      model: model.id,
      nonce,
      signing_address: signingAddress(model.id),
      signing_algo: "ecdsa",
      intel_quote: sha256(`fake-tdx-quote:${model.id}:${nonce}`).repeat(4),
      nvidia_payload: JSON.stringify({ nonce, arch: "HOPPER", evidence_list: [] }),
      created: Math.floor(Date.now() / 1000),
    },
  };
}

/** `GET /v1/signature/{chatcmpl-id}?model=…` — a fake ECDSA signature over request/response hashes. */
export function completionSignature(models: readonly FakeModel[], completionId: string, query: Record<string, string>): Result {
  const model = teeModel(models, query.model);
  if ("status" in model) return model;
  if (!/^chatcmpl-[\w-]+$/.test(completionId)) {
    return { status: 404, body: openAIError("Chat id not found or expired", "invalid_request_error", "not_found") };
  }
  const text = `${sha256(`${completionId}:request`)}:${sha256(`${completionId}:response`)}`;
  return {
    status: 200,
    body: {
      fake: true,
      text,
      signature: `0x${sha256(`sig-r:${text}`)}${sha256(`sig-s:${text}`)}1b`,
      signing_address: signingAddress(model.id),
      signing_algo: "ecdsa",
    },
  };
}
