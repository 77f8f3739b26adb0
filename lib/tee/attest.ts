import "server-only";
import { randomBytes } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { findValidAttestation, insertAttestation } from "@/lib/db/tee-attestations";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { ATTESTATION_CHECKS, checkAttestation } from "@/lib/tee/attestation-checks";
import { EXTERNAL_CHECKS, externalChecks } from "@/lib/tee/external";
import { redpillGet } from "@/lib/tee/redpill-get";
import type { TeeCheck } from "@/lib/tee/types";

/** What Pillbox knows of a TEE model's enclaves: the attested signing addresses, and how it knows. */
export interface Attestation {
  /** the stored report (null when no report could be had) */
  id: string | null;
  modelId: string;
  ok: boolean;
  signingAddresses: string[];
  nonce: string;
  fetchedAt: Date;
  checks: TeeCheck[];
}

const RECEIVED = { id: "attestation_received", label: "RedPill returned an attestation report for the model" };

/** Fresh checks fetched less than a TTL ago, per model: saves a database read per reply on this instance. */
const globalForTee = globalThis as unknown as { pillboxAttestations?: Map<string, { attestation: Attestation; expiresAt: number }> };
const memory = (globalForTee.pillboxAttestations ??= new Map());

/**
 * The model's attestation: the one every instance shares in the database while it is fresh, else a
 * new report asked for with a fresh random nonce and checked. Only a passing attestation is kept
 * for reuse; a failing one is stored as evidence and asked for again next time.
 */
export async function attest(modelId: string): Promise<Attestation> {
  const now = Date.now();
  const cached = memory.get(modelId);
  if (cached && cached.expiresAt > now) return cached.attestation;
  memory.delete(modelId);
  if (env.PILLBOX_TEE_ATTESTATION_TTL_SECONDS > 0) {
    const stored = await findValidAttestation({ modelId, now: new Date(now) });
    if (stored) {
      const attestation: Attestation = {
        id: stored.id,
        modelId,
        ok: stored.ok,
        signingAddresses: stored.signingAddresses,
        nonce: stored.nonce,
        fetchedAt: stored.fetchedAt,
        checks: stored.checks as unknown as TeeCheck[],
      };
      memory.set(modelId, { attestation, expiresAt: stored.expiresAt.getTime() });
      return attestation;
    }
  }
  return fetchAttestation(modelId);
}

async function fetchAttestation(modelId: string): Promise<Attestation> {
  const nonce = randomBytes(32).toString("hex");
  const fetchedAt = new Date();
  const answer = await redpillGet("/attestation/report", { model: modelId, nonce, signing_algo: "ecdsa" });
  if (!answer.ok) {
    log.warn("TEE attestation report unavailable", { modelId, status: answer.status, detail: answer.detail });
    const notChecked = "not checked: there is no report";
    return {
      id: null,
      modelId,
      ok: false,
      signingAddresses: [],
      nonce,
      fetchedAt,
      checks: [
        { ...RECEIVED, ok: false, detail: `the attestation endpoint ${answer.detail}` },
        ...Object.entries({ ...ATTESTATION_CHECKS, ...EXTERNAL_CHECKS }).map(([id, label]) => ({ id, label, ok: null, detail: notChecked })),
      ],
    };
  }
  const local = checkAttestation(answer.body, nonce);
  const external = local.nodes.length ? await externalChecks(local.nodes, nonce) : [];
  const checks: TeeCheck[] = [{ ...RECEIVED, ok: true, detail: `${local.nodes.length} node(s)` }, ...local.checks, ...external];
  const ok = local.ok && external.every((c) => c.ok !== false);
  const expiresAt = new Date(fetchedAt.getTime() + env.PILLBOX_TEE_ATTESTATION_TTL_SECONDS * 1000);
  const stored = await insertAttestation({
    modelId,
    nonce,
    ok,
    signingAddresses: local.signingAddresses,
    checks: checks as unknown as Prisma.InputJsonValue,
    report: answer.body as Prisma.InputJsonValue,
    fetchedAt,
    expiresAt,
  });
  const attestation: Attestation = { id: stored.id, modelId, ok, signingAddresses: local.signingAddresses, nonce, fetchedAt, checks };
  if (ok && env.PILLBOX_TEE_ATTESTATION_TTL_SECONDS > 0) memory.set(modelId, { attestation, expiresAt: expiresAt.getTime() });
  if (!ok) log.warn("TEE attestation failed its checks", { modelId, failed: checks.filter((c) => c.ok === false).map((c) => c.id) });
  return attestation;
}
