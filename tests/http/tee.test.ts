// TEE verification: every reply of a TEE model is checked against RedPill's attestation and its
// signature (the fake's, made with a test key and laid out as RedPill's), after the stream, and the
// verdict is served to the chat's owner only.
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { recoverMessageAddress, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeSigner, type ReceivedRequest } from "@/lib/fake-redpill";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { TEST_REDPILL_KEY } from "../support/constants";
import { chatBody, sendChat, setUpAdmin } from "../support/fixtures";
import { json, signedIn } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

const TEE = "phala/deepseek-chat-v3-0324";
/** A second TEE model, whose attestation the red-path test spoils. */
const TEE_SPOILED = "phala/qwen2.5-vl-72b-instruct";
const PLAIN = "anthropic/claude-sonnet-4.5";

const ATTESTATION_CHECKS = [
  "attestation_received",
  "nonce_echoed",
  "quote_format",
  "report_data_address",
  "report_data_nonce",
  "gpu_nonce",
  "manifest_hash",
];
const EXTERNAL_CHECKS = ["intel_quote_verified", "nvidia_gpu_verified"];
const REPLY_CHECKS = ["signature_received", "request_hash", "response_hash", "signature_valid", "signer_attested"];

interface Check {
  id: string;
  label: string;
  ok: boolean | null;
  detail: string;
}
interface Verification {
  status: "verified" | "failed" | "pending" | "not_applicable";
  model: string | null;
  signingAddress: string | null;
  required: boolean;
  checks: Check[];
  attestedAt: string | null;
  manifest: string | null;
  evidence: {
    completionId: string;
    requestSha256: string | null;
    responseSha256: string | null;
    attestation: { nonce: string; fetchedAt: string; report: { intel_quote: string; info: { tcb_info: { app_compose: string } } } } | null;
    signature: { text: string; signature: string } | null;
  } | null;
}

const okOf = (v: Verification) => Object.fromEntries(v.checks.map((c) => [c.id, c.ok]));

describe.each<DatabaseKind>(["embedded", "postgres"])("TEE verification on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;

  beforeAll(async () => {
    if (skip) return;
    // Short timeouts: a hanging signature endpoint ends the verification within seconds.
    app = await startAppServer({ database, env: { PILLBOX_TEE_TIMEOUT_MS: "700" } });
    admin = await setUpAdmin(app);
    expect((await admin.fetch("/api/admin/models/refresh", { method: "POST" })).status).toBe(200);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stopServer();
    const stored = await app.dumpDatabase();
    await app.stop();
    expect(stored).toContain("TeeAttestation");
    expect(stored).not.toContain(TEST_REDPILL_KEY);
    expect(app.output()).not.toContain(TEST_REDPILL_KEY);
  });

  const verificationPath = (chatId: string, messageId: string) => `/api/chats/${chatId}/messages/${messageId}/verification`;

  async function verdict(session: Session, chatId: string, messageId: string): Promise<Verification> {
    for (let i = 0; i < 150; i++) {
      const response = await session.fetch(verificationPath(chatId, messageId));
      expect(response.status).toBe(200);
      const body = await json<Verification>(response);
      if (body.status !== "pending") return body;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("the verification stayed pending");
  }

  async function ask(text: string, model = TEE, session = admin) {
    const body = chatBody(text, model);
    const reply = await sendChat(session, body);
    return { chatId: body.id, messageId: reply.messageId!, reply };
  }

  const teeRequests = (kind: "attestation" | "signature", model?: string) =>
    app.fake!.requests.filter((r) => r.path.startsWith(`/v1/${kind}`) && (!model || r.query.model === model));

  it.skipIf(skip)("verifies a TEE reply: every check passes, the services that are off are not checked", async () => {
    app.fake!.reset();
    const { chatId, messageId, reply } = await ask("What is an enclave?");
    // The stream ends saying the verification is on its way.
    expect(reply.metadata).toMatchObject({ verification: { status: "pending" } });
    const v = await verdict(admin, chatId, messageId);
    expect(v.status, JSON.stringify(v.checks, null, 2)).toBe("verified");
    expect(v.model).toBe(TEE);
    expect(v.signingAddress).toBe(fakeSigner(TEE).address.toLowerCase());
    expect(v.checks.map((c) => c.id)).toEqual([...ATTESTATION_CHECKS, ...EXTERNAL_CHECKS, ...REPLY_CHECKS]);
    for (const check of v.checks) {
      expect(check.ok, check.id).toBe(EXTERNAL_CHECKS.includes(check.id) ? null : true);
      expect(check.label.length).toBeGreaterThan(0);
    }
    expect(v.manifest).toContain("docker_compose_file");
    expect(Date.parse(v.attestedAt!)).not.toBeNaN();

    // The evidence is enough to re-verify the reply without Pillbox.
    const evidence = v.evidence!;
    const chat = app.fake!.requests.find((r) => r.path === "/v1/chat/completions" && r.completionId === evidence.completionId)!;
    expect(chat).toBeDefined();
    expect(evidence.requestSha256).toBe(createHash("sha256").update(JSON.stringify(chat.body)).digest("hex"));
    expect(evidence.signature!.text).toBe(`${TEE}:${evidence.requestSha256}:${evidence.responseSha256}`);
    const signer = await recoverMessageAddress({ message: evidence.signature!.text, signature: evidence.signature!.signature as Hex });
    expect(signer).toBe(fakeSigner(TEE).address);
    const quote = Buffer.from(evidence.attestation!.report.intel_quote, "hex");
    expect(quote.subarray(568, 588).toString("hex")).toBe(signer.slice(2).toLowerCase());
    expect(quote.subarray(600, 632).toString("hex")).toBe(evidence.attestation!.nonce);
    const manifestHash = createHash("sha256").update(evidence.attestation!.report.info.tcb_info.app_compose).digest("hex");
    expect(quote.subarray(232, 265).toString("hex")).toBe(`01${manifestHash}`);
  });

  it.skipIf(skip)("asks for the attestation with a fresh nonce, then trusts it for its lifetime", async () => {
    app.fake!.reset();
    const first = await ask("once more");
    expect((await verdict(admin, first.chatId, first.messageId)).status).toBe("verified");
    const second = await ask("and again");
    expect((await verdict(admin, second.chatId, second.messageId)).status).toBe("verified");
    // The attestation fetched by the first test is still fresh: no report was asked for since.
    expect(teeRequests("attestation", TEE)).toHaveLength(0);
    expect(teeRequests("signature", TEE)).toHaveLength(2);

    const other = await ask("a fresh model", "phala/deepseek-r1-70b");
    expect((await verdict(admin, other.chatId, other.messageId)).status).toBe("verified");
    const [report] = teeRequests("attestation", "phala/deepseek-r1-70b");
    expect(report!.query).toMatchObject({ signing_algo: "ecdsa", nonce: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it.skipIf(skip)("fetches the signature only after the stream ended, and nothing TEE before the first token", async () => {
    app.fake!.reset();
    const body = chatBody("[[fake:tokens 6 150]] stream steadily", TEE);
    const response = await admin.postJson("/api/chat", body);
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    let atFirstToken: ReceivedRequest[] | null = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
      if (atFirstToken === null && seen.includes('"type":"text-delta"')) {
        atFirstToken = [...teeRequests("attestation"), ...teeRequests("signature")];
      }
    }
    expect(atFirstToken).toEqual([]);
    const messageId = /"type":"start".*?"messageId":"([^"]+)"/.exec(seen)![1]!;
    expect((await verdict(admin, body.id, messageId)).status).toBe("verified");
    const chat = app.fake!.requests.find((r) => r.path === "/v1/chat/completions")!;
    const [signature] = teeRequests("signature");
    expect(chat.finishedAt).not.toBeNull();
    expect(signature!.receivedAt).toBeGreaterThanOrEqual(chat.finishedAt!);
    expect(chat.chunksSent).toBe(6);
  });

  it.skipIf(skip)("fails a reply signed by a key no enclave attested", async () => {
    const { chatId, messageId } = await ask("[[fake:tee other-key]] who signed this?");
    const v = await verdict(admin, chatId, messageId);
    expect(v.status).toBe("failed");
    expect(okOf(v)).toMatchObject({ signature_valid: true, request_hash: true, response_hash: true, signer_attested: false });
    expect(v.signingAddress).not.toBe(fakeSigner(TEE).address.toLowerCase());
  });

  it.skipIf(skip)("fails a reply whose signed response hash is not of the bytes received", async () => {
    const { chatId, messageId } = await ask("[[fake:tee bad-hash]] tampered?");
    const v = await verdict(admin, chatId, messageId);
    expect(v.status).toBe("failed");
    expect(okOf(v)).toMatchObject({ request_hash: true, response_hash: false, signer_attested: true });
  });

  it.skipIf(skip)("fails a reply when the attestation's report_data binds another nonce", async () => {
    app.fake!.setAttestationFault(TEE_SPOILED, "wrong-nonce");
    const { chatId, messageId } = await ask("is this enclave fresh?", TEE_SPOILED);
    const v = await verdict(admin, chatId, messageId);
    expect(v.status).toBe("failed");
    expect(okOf(v)).toMatchObject({ nonce_echoed: true, report_data_address: true, report_data_nonce: false, gpu_nonce: true });
    // Its signer is not trusted: the attestation that would vouch for it failed.
    expect(okOf(v)).toMatchObject({ signature_valid: true, signer_attested: false });
    // An attestation endpoint that does not answer fails the reply too, within the timeout.
    app.fake!.setAttestationFault(TEE_SPOILED, "hang");
    const silent = await ask("anyone there?", TEE_SPOILED);
    const unattested = await verdict(admin, silent.chatId, silent.messageId);
    expect(unattested.status).toBe("failed");
    expect(unattested.checks.find((c) => c.id === "attestation_received")).toMatchObject({ ok: false, detail: expect.stringContaining("did not answer within 700 ms") });
    expect(okOf(unattested)).toMatchObject({ report_data_nonce: null, manifest_hash: null, signature_valid: true, signer_attested: false });
    app.fake!.setAttestationFault(TEE_SPOILED, null);
    // A failed attestation is not reused: the next reply asks again, and passes.
    const again = await ask("and now?", TEE_SPOILED);
    expect((await verdict(admin, again.chatId, again.messageId)).status).toBe("verified");
  });

  it.skipIf(skip)("fails, never verifies, when the signature endpoint answers 404 (asked again first)", async () => {
    app.fake!.reset();
    const { chatId, messageId } = await ask("[[fake:tee sig-404]] where is it?");
    const v = await verdict(admin, chatId, messageId);
    expect(v.status).toBe("failed");
    expect(okOf(v)).toMatchObject({ signature_received: false, request_hash: null, response_hash: null, signer_attested: null });
    expect(v.checks.find((c) => c.id === "signature_received")!.detail).toContain("404");
    expect(teeRequests("signature").length).toBeGreaterThan(1);
  });

  it.skipIf(skip)("fails, never verifies, when the signature endpoint hangs", async () => {
    const { chatId, messageId } = await ask("[[fake:tee sig-hang]] hello?");
    const v = await verdict(admin, chatId, messageId);
    expect(v.status).toBe("failed");
    expect(v.checks.find((c) => c.id === "signature_received")).toMatchObject({ ok: false, detail: expect.stringContaining("did not answer within 700 ms") });
  });

  it.skipIf(skip)("does not verify a model outside a TEE, and asks RedPill for nothing", async () => {
    app.fake!.reset();
    const { chatId, messageId, reply } = await ask("plain model", PLAIN);
    expect(reply.metadata.verification).toBeUndefined();
    const response = await admin.fetch(verificationPath(chatId, messageId));
    expect(await json<Verification>(response)).toMatchObject({ status: "not_applicable", model: PLAIN, checks: [], evidence: null });
    expect([...teeRequests("attestation"), ...teeRequests("signature")]).toEqual([]);
  });

  it.skipIf(skip)("answers the chat's owner only: anyone else, and any other message, gets 404", async () => {
    const { chatId, messageId } = await ask("mine alone");
    await verdict(admin, chatId, messageId);
    const member = { id: "", email: "mallory@example.com", password: "mallory-password-1" };
    expect((await admin.postJson("/api/admin/users", { ...member, name: "Mallory", role: "MEMBER" })).status).toBe(201);
    const mallory = await signedIn(app, member);
    const theirs = await mallory.fetch(verificationPath(chatId, messageId));
    expect(theirs.status).toBe(404);
    expect(await theirs.json()).toEqual({ error: { code: "not_found:chat", message: expect.any(String) } });
    expect((await admin.fetch(verificationPath(chatId, "no-such-message"))).status).toBe(404);
    expect((await admin.fetch(verificationPath("not-a-uuid", messageId))).status).toBe(400);
    expect((await fetch(`${app.url}${verificationPath(chatId, messageId)}`)).status).toBe(401);
  });

  it.skipIf(skip)("flags and audits a failed reply under a group that requires verified replies; the usage views filter on it", async () => {
    const vera = { email: "vera@example.com", password: "vera-password-1" };
    const created = await admin.postJson("/api/admin/users", { ...vera, name: "Vera", role: "MEMBER" });
    const veraId = (await json<{ user: { id: string } }>(created)).user.id;
    const group = await json<{ group: { id: string; requireVerified: boolean } }>(
      await admin.postJson("/api/admin/groups", { name: "Strict", requireVerified: true }),
    );
    expect(group.group.requireVerified).toBe(true);
    expect((await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: veraId })).status).toBe(201);
    const session = await signedIn(app, { ...vera, id: veraId });

    const audited = async () =>
      (await json<{ entries: { actorId: string | null; action: string; targetType: string; targetId: string; after: unknown }[] }>(
        await admin.fetch("/api/admin/audit?action=reply.verification_failed"),
      )).entries;
    // The admin's failed replies above were under no such policy: nothing was audited for them.
    expect(await audited()).toEqual([]);

    const bad = await ask("[[fake:tee bad-hash]] under the policy", TEE, session);
    expect(await verdict(session, bad.chatId, bad.messageId)).toMatchObject({ status: "failed", required: true });
    const good = await ask("all fine under the policy", TEE, session);
    expect(await verdict(session, good.chatId, good.messageId)).toMatchObject({ status: "verified", required: true });
    const entries = await audited();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: null,
      targetType: "message",
      targetId: bad.messageId,
      after: { userId: veraId, chatId: bad.chatId, modelId: TEE, failedChecks: [{ id: "response_hash" }] },
    });

    interface Row {
      messageId: string | null;
      modelId: string;
      verification: string | null;
    }
    const records = async (query: string) =>
      (await json<{ records: Row[] }>(await admin.fetch(`/api/admin/usage/records?limit=500&${query}`))).records;
    expect((await records(`userId=${veraId}&verification=failed`)).map((r) => [r.messageId, r.verification])).toEqual([[bad.messageId, "failed"]]);
    expect((await records(`userId=${veraId}&verification=verified`)).map((r) => [r.messageId, r.verification])).toEqual([[good.messageId, "verified"]]);
    const plain = await records("verification=not_applicable");
    expect(plain.some((r) => r.modelId === PLAIN)).toBe(true);
    expect(plain.every((r) => r.verification === null)).toBe(true);
    const failed = await records("verification=failed");
    expect(failed.length).toBeGreaterThan(3);
    expect(failed.every((r) => r.verification === "failed" && r.modelId.startsWith("phala/"))).toBe(true);
    const summary = await json<{ totals: { requests: number } }>(await admin.fetch("/api/admin/usage/summary?groupBy=model&verification=failed"));
    expect(summary.totals.requests).toBe(failed.length);
    const csv = await (await admin.fetch(`/api/admin/usage/export.csv?userId=${veraId}&verification=verified`)).text();
    expect(csv.trim().split("\n")).toHaveLength(2);
    expect(csv).toContain(",verified");
    expect((await admin.fetch("/api/admin/usage/records?verification=maybe")).status).toBe(400);
  });
});

/** Stand-ins for the optional quote services (Phala's TDX quote verifier, NVIDIA's NRAS). */
async function startQuoteServices() {
  const state = { quotes: [] as string[], gpuVerdict: true };
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as { hex?: string; nonce?: string };
      res.setHeader("content-type", "application/json");
      if (req.url === "/intel") {
        state.quotes.push(parsed.hex ?? "");
        return res.end(JSON.stringify({ quote: { verified: true } }));
      }
      const claims = { "x-nvidia-overall-att-result": state.gpuVerdict, eat_nonce: parsed.nonce };
      const jwt = ["e30", Buffer.from(JSON.stringify(claims)).toString("base64url"), "c2ln"].join(".");
      res.end(JSON.stringify([["JWT", jwt], { "GPU-0": jwt }]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { state, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("TEE verification with the optional quote services configured", () => {
  let app: AppServer;
  let admin: Session;
  let services: Awaited<ReturnType<typeof startQuoteServices>>;

  beforeAll(async () => {
    services = await startQuoteServices();
    app = await startAppServer({
      database: "embedded",
      env: {
        PILLBOX_TEE_INTEL_VERIFIER_URL: `${services.url}/intel`,
        PILLBOX_TEE_NVIDIA_VERIFIER_URL: `${services.url}/nras`,
        // Every reply is checked against a fresh attestation.
        PILLBOX_TEE_ATTESTATION_TTL_SECONDS: "0",
      },
    });
    admin = await setUpAdmin(app);
    expect((await admin.fetch("/api/admin/models/refresh", { method: "POST" })).status).toBe(200);
  });

  afterAll(async () => {
    await app?.stop();
    await services?.close();
  });

  async function verified(text: string): Promise<Verification> {
    const body = chatBody(text, TEE);
    const reply = await sendChat(admin, body);
    for (let i = 0; i < 150; i++) {
      const v = await json<Verification>(await admin.fetch(`/api/chats/${body.id}/messages/${reply.messageId}/verification`));
      if (v.status !== "pending") return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("the verification stayed pending");
  }

  it("runs them, and a verdict of theirs decides the reply's", async () => {
    const v = await verified("checked by everyone");
    expect(v.status).toBe("verified");
    expect(okOf(v)).toMatchObject({ intel_quote_verified: true, nvidia_gpu_verified: true });
    expect(services.state.quotes).toEqual([v.evidence!.attestation!.report.intel_quote]);

    services.state.gpuVerdict = false;
    const refused = await verified("the GPUs say no");
    expect(refused.status).toBe("failed");
    expect(okOf(refused)).toMatchObject({ intel_quote_verified: true, nvidia_gpu_verified: false, signer_attested: false });
    expect(app.fake!.requests.filter((r) => r.path === "/v1/attestation/report")).toHaveLength(2);
  });
});

describe.skipIf(pgSkip !== null)("a verification whose server stopped", () => {
  let first: AppServer;
  let second: AppServer | undefined;

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("is settled as failed when next read, by any instance: never pending for ever", async () => {
    const authSecret = "a-shared-test-secret-for-both-instances-0123456789";
    // The first instance waits a minute for the signature: it is killed before that.
    first = await startAppServer({ database: "postgres", authSecret, env: { PILLBOX_TEE_TIMEOUT_MS: "60000" } });
    const admin = await setUpAdmin(first);
    expect((await admin.fetch("/api/admin/models/refresh", { method: "POST" })).status).toBe(200);
    const body = chatBody("[[fake:tee sig-hang]] will anyone finish this?", TEE);
    const reply = await sendChat(admin, body);
    await first.fake!.waitFor((r) => r.path.startsWith("/v1/signature/"));
    await first.crash();

    second = await startAppServer({
      database: "postgres",
      authSecret,
      sharedDatabaseUrl: first.databaseUrl,
      redpillUrl: first.fake!.url,
      env: { PILLBOX_TEE_TIMEOUT_MS: "200" },
    });
    const path = `/api/chats/${body.id}/messages/${reply.messageId}/verification`;
    const session = admin.at(second.url);
    let v: Verification | null = null;
    for (let i = 0; i < 100 && v?.status !== "failed"; i++) {
      await new Promise((r) => setTimeout(r, 200));
      v = await json<Verification>(await session.fetch(path));
    }
    expect(v!.status).toBe("failed");
    expect(v!.checks).toEqual([expect.objectContaining({ id: "verification_finished", ok: false })]);
  });
});
