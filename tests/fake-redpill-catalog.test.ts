import { afterEach, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS, fakeCatalog, fakeModelSchema, startFakeRedpill, type FakeRedpill } from "@/lib/fake-redpill";

const KEY = "sk-test-catalog";
let fake: FakeRedpill | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function listModels(server: FakeRedpill): Promise<{ id: string; is_tee: boolean }[]> {
  const response = await fetch(`${server.url}/models`, { headers: { authorization: `Bearer ${KEY}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string; is_tee: boolean }[] }).data;
}

describe("the fake RedPill's large catalog", () => {
  it("serves 250 valid, unique, deterministic models, the curated ones first", async () => {
    fake = await startFakeRedpill({ apiKey: KEY, quiet: true, catalogSize: 250 });
    const models = await listModels(fake);
    expect(models).toHaveLength(250);
    expect(models.slice(0, FAKE_REDPILL_MODELS.length).map((m) => m.id)).toEqual(FAKE_REDPILL_MODELS.map((m) => m.id));
    expect(new Set(models.map((m) => m.id)).size).toBe(250);
    for (const model of models) expect(fakeModelSchema.safeParse(model).success).toBe(true);
    expect(models.filter((m) => m.is_tee).every((m) => m.id.startsWith("phala/"))).toBe(true);
    expect(fakeCatalog(250)).toEqual(fakeCatalog(250));
  });

  it("keeps the curated catalog by default and adds a model later (API and control endpoint)", async () => {
    fake = await startFakeRedpill({ apiKey: KEY, quiet: true });
    expect((await listModels(fake)).map((m) => m.id)).toEqual(FAKE_REDPILL_MODELS.map((m) => m.id));
    fake.addModel({ ...FAKE_REDPILL_MODELS[0]!, id: "acme/new-one", name: "Acme: New One" });
    const control = await fetch(`${fake.url.replace(/\/v1$/, "")}/__fake/models`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...FAKE_REDPILL_MODELS[1]!, id: "acme/newer-one" }),
    });
    expect(control.status).toBe(200);
    const bad = await fetch(`${fake.url.replace(/\/v1$/, "")}/__fake/models`, { method: "POST", body: "{}" });
    expect(bad.status).toBe(400);
    expect((await listModels(fake)).map((m) => m.id).slice(-2)).toEqual(["acme/new-one", "acme/newer-one"]);
  });
});
