import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_REDPILL_MODELS } from "@/lib/fake-redpill";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { ADMIN, chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

const EVERYONE = "00000000-0000-4000-8000-000000000001";
const BOB = { email: "bob@example.com", name: "Bob Member", password: "bob-password-1" };
const IP = "203.0.113.7";
const ALL_MODELS = FAKE_REDPILL_MODELS.map((m) => m.id).sort();
const TEE_MODELS = FAKE_REDPILL_MODELS.filter((m) => m.is_tee).map((m) => m.id).sort();
const X = "openai/gpt-5-mini";
const Y = "anthropic/claude-sonnet-4.5";

interface Group {
  id: string;
  name: string;
  builtin: boolean;
  modelIds: string[] | null;
  teeOnly: boolean;
  requireVerified: boolean;
  memberCount: number;
}

interface AuditEntry {
  id: string;
  createdAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

/** A JSON request from the given session, sent as if through a proxy that reports the client IP. */
async function send(session: Session, method: string, path: string, body?: unknown) {
  const response = await session.fetch(path, {
    method,
    headers: { "x-forwarded-for": IP, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { code: string; message: string } } };
}

describe.each<DatabaseKind>(["embedded", "postgres"])("groups, model access and the audit log on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  let member: Session;
  let adminId: string;
  let bobId: string;

  const groups = async () => (await send(admin, "GET", "/api/admin/groups")).json.groups as Group[];
  const audit = async (query = "") => {
    const response = await send(admin, "GET", `/api/admin/audit?${query}`);
    expect(response.status).toBe(200);
    return response.json as unknown as { entries: AuditEntry[]; nextCursor: string | null };
  };
  const groupAudit = async () => (await audit("action=group.&limit=200")).entries;
  const modelsOf = async (session: Session) => {
    const response = await send(session, "GET", "/api/models");
    expect(response.status).toBe(200);
    return (response.json.models as { id: string }[]).map((m) => m.id).sort();
  };
  const createGroup = async (body: Record<string, unknown>) => {
    const response = await send(admin, "POST", "/api/admin/groups", body);
    expect(response.status).toBe(201);
    return response.json.group as Group;
  };
  const patchGroup = async (id: string, body: Record<string, unknown>) => {
    const response = await send(admin, "PATCH", `/api/admin/groups/${id}`, body);
    expect(response.status).toBe(200);
    return response.json.group as Group;
  };

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
    const created = await send(admin, "POST", "/api/admin/users", { ...BOB, role: "MEMBER" });
    expect(created.status).toBe(201);
    bobId = (created.json.user as { id: string }).id;
    const users = (await send(admin, "GET", "/api/admin/users")).json.users as { id: string; email: string }[];
    adminId = users.find((u) => u.email === ADMIN.email)!.id;
    member = new Session(app.url);
    expect(await member.signIn(BOB.email, BOB.password)).toBe(true);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
  });

  it.skipIf(skip)("lists the built-in Everyone group, holding every user and allowing every enabled model", async () => {
    const response = await send(admin, "GET", "/api/admin/groups");
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      groups: [
        { id: EVERYONE, name: "Everyone", builtin: true, modelIds: null, teeOnly: false, requireVerified: false, apiAccess: true, rpm: null, tpm: null, memberCount: 2 },
      ],
    });
    expect(await modelsOf(member)).toEqual(ALL_MODELS);
  });

  it.skipIf(skip)("keeps members out of every groups and audit route with 403, writing nothing", async () => {
    const before = (await groupAudit()).length;
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/admin/groups"],
      ["POST", "/api/admin/groups", { name: "Sneaky" }],
      ["PATCH", `/api/admin/groups/${EVERYONE}`, { modelIds: null }],
      ["DELETE", `/api/admin/groups/${EVERYONE}`],
      ["GET", `/api/admin/groups/${EVERYONE}/members`],
      ["POST", `/api/admin/groups/${EVERYONE}/members`, { userId: bobId }],
      ["DELETE", `/api/admin/groups/${EVERYONE}/members/${bobId}`],
      ["GET", "/api/admin/audit"],
    ];
    for (const [method, path, body] of routes) {
      const response = await send(member, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.json.error?.code).toBe("forbidden:admin");
    }
    expect((await send(new Session(app.url), "GET", "/api/admin/groups")).status).toBe(401);
    expect((await groupAudit()).length).toBe(before);
    expect((await groups()).map((g) => g.name)).toEqual(["Everyone"]);
  });

  it.skipIf(skip)("creates, changes and deletes groups, with exactly one audit row per change", async () => {
    const start = (await groupAudit()).length;

    const created = await send(admin, "POST", "/api/admin/groups", { name: "Research", modelIds: [X] });
    expect(created.status).toBe(201);
    const group = created.json.group as Group;
    expect(group).toEqual({
      id: expect.any(String),
      name: "Research",
      builtin: false,
      modelIds: [X],
      teeOnly: false,
      requireVerified: false,
      apiAccess: true,
      rpm: null,
      tpm: null,
      memberCount: 0,
    });
    let [entry] = await groupAudit();
    expect(entry).toMatchObject({
      actorId: adminId,
      actorEmail: ADMIN.email,
      action: "group.create",
      targetType: "group",
      targetId: group.id,
      before: null,
      after: group,
      ip: IP,
    });

    // Refused changes answer 4xx and write nothing.
    for (const name of ["Research", "research", "Everyone"]) {
      const duplicate = await send(admin, "POST", "/api/admin/groups", { name });
      expect(duplicate.status, name).toBe(409);
      expect(duplicate.json.error?.code).toBe("conflict:group");
    }
    const unknown = await send(admin, "POST", "/api/admin/groups", { name: "Ghosts", modelIds: ["acme/nope"] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error?.message).toContain("acme/nope");
    const unknownPatch = await send(admin, "PATCH", `/api/admin/groups/${group.id}`, { modelIds: [X, "acme/nope"] });
    expect(unknownPatch.status).toBe(400);
    expect((await send(admin, "PATCH", `/api/admin/groups/${group.id}`, {})).status).toBe(400);
    expect((await send(admin, "PATCH", `/api/admin/groups/${group.id}`, { name: " " })).status).toBe(400);
    expect((await send(admin, "POST", "/api/admin/groups", { name: "" })).status).toBe(400);
    const notJson = await admin.fetch("/api/admin/groups", { method: "POST", body: JSON.stringify({ name: "Form" }) });
    expect(notJson.status).toBe(415);
    expect((await send(admin, "PATCH", `/api/admin/groups/${crypto.randomUUID()}`, { teeOnly: true })).status).toBe(404);
    expect((await send(admin, "DELETE", `/api/admin/groups/not-a-uuid`)).status).toBe(400);
    const deleteEveryone = await send(admin, "DELETE", `/api/admin/groups/${EVERYONE}`);
    expect(deleteEveryone.status).toBe(409);
    expect(deleteEveryone.json.error?.code).toBe("conflict:group");
    expect((await send(admin, "PATCH", `/api/admin/groups/${EVERYONE}`, { name: "All staff" })).status).toBe(409);
    expect((await groupAudit()).length).toBe(start + 1);

    // PATCH is partial: only the fields sent change.
    const tee = await patchGroup(group.id, { teeOnly: true });
    expect(tee).toEqual({ ...group, teeOnly: true });
    [entry] = await groupAudit();
    expect(entry).toMatchObject({ action: "group.update", targetId: group.id, before: group, after: tee, ip: IP });
    const renamed = await patchGroup(group.id, { name: "Research Lab" });
    expect(renamed).toEqual({ ...tee, name: "Research Lab" });
    const all = await patchGroup(group.id, { modelIds: null, teeOnly: false });
    expect(all).toEqual({ ...renamed, modelIds: null, teeOnly: false });
    const none = await patchGroup(group.id, { modelIds: [] });
    expect(none.modelIds).toEqual([]);
    const strict = await patchGroup(group.id, { requireVerified: true });
    expect(strict).toEqual({ ...none, requireVerified: true });
    [entry] = await groupAudit();
    expect(entry).toMatchObject({ action: "group.update", before: { requireVerified: false }, after: { requireVerified: true } });
    expect((await send(admin, "PATCH", `/api/admin/groups/${group.id}`, { requireVerified: "yes" })).status).toBe(400);

    const deleted = await send(admin, "DELETE", `/api/admin/groups/${group.id}`);
    expect(deleted.status).toBe(204);
    expect((await groups()).map((g) => g.id)).not.toContain(group.id);
    [entry] = await groupAudit();
    expect(entry).toMatchObject({ action: "group.delete", targetId: group.id, before: strict, after: null, ip: IP });
    expect((await send(admin, "DELETE", `/api/admin/groups/${group.id}`)).status).toBe(404);

    expect((await groupAudit()).length).toBe(start + 7);
    expect((await audit(`targetId=${group.id}`)).entries.map((e) => e.action)).toEqual([
      "group.delete",
      "group.update",
      "group.update",
      "group.update",
      "group.update",
      "group.update",
      "group.create",
    ]);
  });

  it.skipIf(skip)("adds and removes members, each change audited once", async () => {
    const group = await createGroup({ name: "Crew" });
    const start = (await groupAudit()).length;

    const added = await send(admin, "POST", `/api/admin/groups/${group.id}/members`, { userId: bobId });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ member: { groupId: group.id, userId: bobId } });
    const [entry] = await groupAudit();
    expect(entry).toMatchObject({ action: "group.member.add", targetId: group.id, after: { userId: bobId, email: BOB.email }, ip: IP });
    // Adding again changes nothing and writes nothing.
    expect((await send(admin, "POST", `/api/admin/groups/${group.id}/members`, { userId: bobId })).status).toBe(200);
    const members = await send(admin, "GET", `/api/admin/groups/${group.id}/members`);
    expect((members.json.members as { email: string }[]).map((m) => m.email)).toEqual([BOB.email]);
    expect((await groups()).find((g) => g.id === group.id)?.memberCount).toBe(1);

    expect((await send(admin, "POST", `/api/admin/groups/${group.id}/members`, { userId: crypto.randomUUID() })).status).toBe(404);
    expect((await send(admin, "GET", `/api/admin/groups/${crypto.randomUUID()}/members`)).status).toBe(404);
    expect((await send(admin, "POST", `/api/admin/groups/${group.id}/members`, { userId: "bob" })).status).toBe(400);
    expect((await send(admin, "POST", `/api/admin/groups/${EVERYONE}/members`, { userId: bobId })).status).toBe(409);

    expect((await send(admin, "DELETE", `/api/admin/groups/${group.id}/members/${bobId}`)).status).toBe(204);
    const [removed] = await groupAudit();
    expect(removed).toMatchObject({ action: "group.member.remove", targetId: group.id, before: { userId: bobId }, ip: IP });
    expect((await send(admin, "DELETE", `/api/admin/groups/${group.id}/members/${bobId}`)).status).toBe(404);
    expect((await groupAudit()).length).toBe(start + 2);
    expect((await send(admin, "DELETE", `/api/admin/groups/${group.id}`)).status).toBe(204);
  });

  it.skipIf(skip)("gives a member exactly the models their groups allow, enforced on chat, from the next request", async () => {
    const research = await createGroup({ name: "Research", modelIds: [X] });
    expect((await send(admin, "POST", `/api/admin/groups/${research.id}/members`, { userId: bobId })).status).toBe(201);
    // While Everyone allows every model, Research adds nothing.
    expect(await modelsOf(member)).toEqual(ALL_MODELS);
    await patchGroup(EVERYONE, { modelIds: [] });
    expect(await modelsOf(member)).toEqual([X]);

    // Another model is refused before anything is written or sent upstream.
    app.fake!.reset();
    const refused = await member.postJson("/api/chat", chatBody("hello", Y));
    expect(refused.status).toBe(403);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("forbidden:model");
    expect(error.message).toContain(Y);
    expect(app.fake!.requests).toHaveLength(0);
    expect(((await (await member.fetch("/api/chats")).json()) as { chats: unknown[] }).chats).toHaveLength(0);

    const allowed = await readUiStream(await member.postJson("/api/chat", chatBody("hello", X)));
    expect(allowed.errors).toEqual([]);
    expect(allowed.finished).toBe(true);

    // Changes apply to the very next request, without signing in again.
    await patchGroup(research.id, { modelIds: [X, Y] });
    expect(await modelsOf(member)).toEqual([X, Y].sort());
    await patchGroup(research.id, { modelIds: null, teeOnly: true });
    expect(await modelsOf(member)).toEqual(TEE_MODELS);
    expect((await member.postJson("/api/chat", chatBody("hi", X))).status).toBe(403);
    await patchGroup(EVERYONE, { modelIds: [X] });
    expect(await modelsOf(member)).toEqual([...TEE_MODELS, X].sort());
    await patchGroup(EVERYONE, { modelIds: [] });
    expect((await send(admin, "DELETE", `/api/admin/groups/${research.id}/members/${bobId}`)).status).toBe(204);
    expect(await modelsOf(member)).toEqual([]);

    // Admins may use every enabled model whatever their groups; a disabled model is refused to all.
    expect(await modelsOf(admin)).toEqual(ALL_MODELS);
    expect((await send(admin, "PATCH", `/api/admin/models/${Y}`, { enabled: false })).status).toBe(200);
    expect(await modelsOf(admin)).toEqual(ALL_MODELS.filter((id) => id !== Y));
    app.fake!.reset();
    const off = await admin.postJson("/api/chat", chatBody("hi", Y));
    expect(off.status).toBe(403);
    expect(((await off.json()) as { error: { message: string } }).error.message).toContain(Y);
    expect(app.fake!.requests).toHaveLength(0);
    expect((await send(admin, "PATCH", `/api/admin/models/${Y}`, { enabled: true })).status).toBe(200);

    await patchGroup(EVERYONE, { modelIds: null });
    expect(await modelsOf(member)).toEqual(ALL_MODELS);
    expect((await send(admin, "DELETE", `/api/admin/groups/${research.id}`)).status).toBe(204);
  });

  it.skipIf(skip)("filters the audit log and pages through it with a cursor", async () => {
    const t0 = new Date(Date.now() - 60_000).toISOString();
    const created: Group[] = [];
    for (let i = 0; i < 55; i++) created.push(await createGroup({ name: `Team ${String(i).padStart(2, "0")}` }));

    const first = await audit("action=group.create");
    expect(first.entries).toHaveLength(50);
    expect(first.entries.every((e) => e.action === "group.create")).toBe(true);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await audit(`action=group.create&cursor=${first.nextCursor}`);
    const all = [...first.entries, ...second.entries];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    // Newest first, every created group exactly once, and nothing after the last page.
    const times = all.map((e) => e.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    for (const group of created) expect(all.filter((e) => e.targetId === group.id)).toHaveLength(1);
    let cursor = second.nextCursor;
    while (cursor) {
      const next = await audit(`action=group.create&cursor=${cursor}`);
      all.push(...next.entries);
      cursor = next.nextCursor;
    }
    expect(all).toHaveLength((await audit("action=group.create&limit=200")).entries.length);

    // Small pages walk the same rows as one big page.
    const big = (await audit("limit=200")).entries.map((e) => e.id);
    const walked: string[] = [];
    cursor = null;
    do {
      const page = await audit(`limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      walked.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(big);

    expect((await audit(`targetId=${created[3]!.id}`)).entries.map((e) => e.action)).toEqual(["group.create"]);
    expect((await audit(`actorId=${adminId}&limit=200`)).entries).toHaveLength(big.length);
    expect((await audit(`actorId=${bobId}`)).entries).toHaveLength(0);
    expect((await audit(`action=group.member.`)).entries.map((e) => e.action).sort()[0]).toBe("group.member.add");
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await audit(`from=${future}`)).entries).toHaveLength(0);
    expect((await audit(`to=${t0}&action=group.create`)).entries.filter((e) => created.some((g) => g.id === e.targetId))).toHaveLength(0);
    expect((await audit(`from=${t0}&action=group.create&limit=200`)).entries.length).toBeGreaterThanOrEqual(55);
    expect((await send(admin, "GET", "/api/admin/audit?cursor=bogus")).status).toBe(400);
    expect((await send(admin, "GET", "/api/admin/audit?actorId=bob")).status).toBe(400);
    expect((await send(admin, "GET", "/api/admin/audit?from=yesterday")).status).toBe(400);
  });

  it.skipIf(skip)("has no way to change or remove audit rows: the database itself refuses", async () => {
    const count = (await audit("limit=200")).entries.length;
    expect(count).toBeGreaterThan(0);
    for (const method of ["PATCH", "PUT", "DELETE"]) {
      expect((await send(admin, method, "/api/admin/audit", {})).status, method).toBe(405);
    }
    await app.stopServer();
    const statements = [`UPDATE "AuditLog" SET "action" = 'forged'`, `DELETE FROM "AuditLog"`, `TRUNCATE "AuditLog"`];
    let remaining: number;
    if (app.databaseUrl) {
      const client = new pg.Client({ connectionString: app.databaseUrl });
      await client.connect();
      try {
        for (const sql of statements) await expect(client.query(sql), sql).rejects.toThrow(/append-only/);
        remaining = Number((await client.query(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" <> 'forged'`)).rows[0].n);
      } finally {
        await client.end();
      }
    } else {
      const embedded = new PGlite(app.pgliteDir);
      try {
        for (const sql of statements) await expect(embedded.query(sql), sql).rejects.toThrow(/append-only/);
        remaining = Number((await embedded.query<{ n: number }>(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" <> 'forged'`)).rows[0]!.n);
      } finally {
        await embedded.close();
      }
    }
    expect(remaining).toBe(count);
  });
});
