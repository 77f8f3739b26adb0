import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS, type FakeModel } from "@/lib/fake-redpill";
import type { PublicAuditEntry } from "@/lib/audit/query";
import type { ModelOption } from "@/lib/redpill/model-option";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

const CATALOG_SIZE = 250;

function newModel(id: string): FakeModel {
  return {
    id,
    name: `Acme: ${id.split("/")[1]}`,
    created: 1764000000,
    context_length: 2_000_000,
    input_modalities: ["text", "image"],
    output_modalities: ["text"],
    pricing: { prompt: "0.00015", completion: "0.0006" },
    is_tee: false,
    description: "A brand-new and very expensive model.",
  };
}

describe.each<DatabaseKind>(["embedded", "postgres"])("models at scale on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  let member: Session;

  const json = { "content-type": "application/json" };
  const patch = (session: Session, path: string, body: unknown) =>
    session.fetch(path, { method: "PATCH", headers: json, body: JSON.stringify(body) });

  async function modelsOf(session: Session): Promise<ModelOption[]> {
    const response = await session.fetch("/api/models");
    expect(response.status).toBe(200);
    return ((await response.json()) as { models: ModelOption[] }).models;
  }

  async function audit(): Promise<PublicAuditEntry[]> {
    const response = await admin.fetch("/api/admin/audit?limit=200");
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: PublicAuditEntry[] }).entries;
  }

  /** Runs `work` and returns the audit rows it added (newest first). */
  async function auditedBy(work: () => Promise<void>): Promise<PublicAuditEntry[]> {
    const before = new Set((await audit()).map((e) => e.id));
    await work();
    return (await audit()).filter((e) => !before.has(e.id));
  }

  async function refresh() {
    const response = await admin.fetch("/api/admin/models/refresh", { method: "POST" });
    expect(response.status).toBe(200);
    return (await response.json()) as { count: number; added: string[]; addedEnabled: boolean };
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, fakeOptions: { catalogSize: CATALOG_SIZE } });
    admin = await setUpAdmin(app);
    expect((await admin.postJson("/api/admin/users", { email: "mia@example.com", name: "Mia", password: "mia-password-1" })).status).toBe(201);
    member = new Session(app.url);
    expect(await member.signIn("mia@example.com", "mia-password-1")).toBe(true);
  });

  afterAll(async () => {
    if (!skip) await app?.stop();
  });

  it.skipIf(skip)("syncs the 250-model catalog and the first sync of a new workspace enables them all", async () => {
    const models = await modelsOf(admin);
    expect(models).toHaveLength(CATALOG_SIZE);
    // The curated models keep their ids; the rest is a realistic mix.
    for (const curated of FAKE_REDPILL_MODELS) expect(models.map((m) => m.id)).toContain(curated.id);
    expect(models.filter((m) => m.isTee).length).toBeGreaterThan(10);
    expect(models.filter((m) => m.vision).length).toBeGreaterThan(10);
    expect(new Set(models.map((m) => m.provider)).size).toBeGreaterThanOrEqual(10);
    expect(models.find((m) => m.id === "phala/deepseek-chat-v3-0324")).toMatchObject({ isTee: true, provider: "phala" });
    // Members (Everyone allows every enabled model) see the same list.
    expect((await modelsOf(member)).map((m) => m.id).sort()).toEqual(models.map((m) => m.id).sort());
  });

  it.skipIf(skip)("a model RedPill adds later arrives disabled, and the refresh writes one audit row", async () => {
    app.fake!.addModel(newModel("acme/frontier-ultra"));
    let result: Awaited<ReturnType<typeof refresh>> | undefined;
    const rows = await auditedBy(async () => {
      result = await refresh();
    });
    expect(result).toEqual({ count: CATALOG_SIZE + 1, added: ["acme/frontier-ultra"], addedEnabled: false, changed: [] });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "model.refresh", actorEmail: "ada@example.com", after: { added: ["acme/frontier-ultra"], addedEnabled: false } });

    expect((await modelsOf(admin)).map((m) => m.id)).not.toContain("acme/frontier-ultra");
    expect((await modelsOf(member)).map((m) => m.id)).not.toContain("acme/frontier-ultra");
    const refused = await member.postJson("/api/chat", chatBody("hi", "acme/frontier-ultra"));
    expect(refused.status).toBe(403);
  });

  it.skipIf(skip)("with “enable new models automatically” on, a new model arrives enabled", async () => {
    expect((await patch(admin, "/api/admin/settings", { autoEnableNewModels: true })).status).toBe(200);
    app.fake!.addModel(newModel("acme/frontier-mini"));
    expect(await refresh()).toMatchObject({ added: ["acme/frontier-mini"], addedEnabled: true });
    expect((await modelsOf(member)).map((m) => m.id)).toContain("acme/frontier-mini");
    // The earlier one keeps the admin's (default) choice: still off.
    expect((await modelsOf(member)).map((m) => m.id)).not.toContain("acme/frontier-ultra");
    expect((await patch(admin, "/api/admin/settings", { autoEnableNewModels: false })).status).toBe(200);
  });

  it.skipIf(skip)("gives a model a display name (one audit row), kept across a refresh, and clears it", async () => {
    let response: Response | undefined;
    const rows = await auditedBy(async () => {
      response = await patch(admin, "/api/admin/models/openai/gpt-5", { displayName: "  Company GPT  " });
    });
    expect(response!.status).toBe(200);
    expect(((await response!.json()) as { model: ModelOption }).model).toMatchObject({ name: "Company GPT", displayName: "Company GPT" });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: "model.update",
      targetType: "model",
      targetId: "openai/gpt-5",
      before: { enabled: true },
      after: { enabled: true, displayName: "Company GPT" },
    });
    expect((await modelsOf(member)).find((m) => m.id === "openai/gpt-5")).toMatchObject({ name: "Company GPT", catalogName: "OpenAI: GPT-5" });

    await refresh();
    expect((await modelsOf(member)).find((m) => m.id === "openai/gpt-5")?.name).toBe("Company GPT");

    expect((await patch(admin, "/api/admin/models/openai/gpt-5", { displayName: "" })).status).toBe(200);
    expect((await modelsOf(member)).find((m) => m.id === "openai/gpt-5")).toMatchObject({ name: "OpenAI: GPT-5", displayName: null });
  });

  it.skipIf(skip)("refuses bad or unknown changes with 4xx and writes no audit row", async () => {
    const rows = await auditedBy(async () => {
      expect((await patch(admin, "/api/admin/models/openai/gpt-5", {})).status).toBe(400);
      expect((await patch(admin, "/api/admin/models/openai/gpt-5", { displayName: 5 })).status).toBe(400);
      expect((await patch(admin, "/api/admin/models/openai/gpt-5", { displayName: "x".repeat(101) })).status).toBe(400);
      expect((await patch(admin, "/api/admin/models/acme/nothing", { enabled: false })).status).toBe(404);
      expect((await admin.postJson("/api/admin/models/bulk", { ids: [], enabled: false })).status).toBe(400);
      expect((await admin.postJson("/api/admin/models/bulk", { ids: ["openai/gpt-5"] })).status).toBe(400);
      const unknown = await admin.postJson("/api/admin/models/bulk", { ids: ["openai/gpt-5", "acme/nothing"], enabled: false });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found:model");
      // Members may not change models at all.
      expect((await member.postJson("/api/admin/models/bulk", { ids: ["openai/gpt-5"], enabled: false })).status).toBe(403);
      expect((await patch(member, "/api/admin/models/openai/gpt-5", { enabled: false })).status).toBe(403);
      expect((await member.fetch("/api/admin/models/refresh", { method: "POST" })).status).toBe(403);
    });
    expect(rows).toEqual([]);
    expect((await modelsOf(member)).map((m) => m.id)).toContain("openai/gpt-5");
  });

  it.skipIf(skip)("bulk-disables models with one audit row; members never see or use a disabled model", async () => {
    const ids = ["openai/gpt-5", "google/gemini-2.5-flash", "phala/qwen2.5-vl-72b-instruct"];
    let response: Response | undefined;
    const rows = await auditedBy(async () => {
      response = await admin.postJson("/api/admin/models/bulk", { ids: [...ids, ids[0]], enabled: false });
    });
    expect(response!.status).toBe(200);
    expect(await response!.json()).toEqual({ updated: 3 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "model.bulk_disable", targetType: "model", after: { ids, enabled: false } });

    const seen = (await modelsOf(member)).map((m) => m.id);
    for (const id of ids) expect(seen).not.toContain(id);
    expect(seen).toHaveLength(CATALOG_SIZE + 1 - ids.length); // 250 + frontier-mini − 3
    expect((await member.postJson("/api/chat", chatBody("hi", "google/gemini-2.5-flash"))).status).toBe(403);

    const back = await admin.postJson("/api/admin/models/bulk", { ids, enabled: true });
    expect(await back.json()).toEqual({ updated: 3 });
    expect((await modelsOf(member)).map((m) => m.id)).toEqual(expect.arrayContaining(ids));
  });
});
