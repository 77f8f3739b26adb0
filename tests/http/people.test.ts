import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UsageRow } from "@/lib/usage/rows";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { ADMIN, chatBody, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

type Json = Record<string, unknown>;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const tokenOf = (url: string) => url.split("/").pop()!;

describe.each<DatabaseKind>(["embedded", "postgres"])("people on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  const tokens: string[] = []; // every invite/reset token handed out: only their hashes may be stored

  const send = (session: Session, method: string, path: string, body?: unknown) =>
    session.fetch(path, {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });

  async function auditCount(): Promise<number> {
    const response = await admin.fetch("/api/admin/audit?limit=200");
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: unknown[] }).entries.length;
  }

  /** Runs an admin mutation and checks it wrote exactly `rows` audit rows (one on success, none on failure). */
  async function audited(rows: number, work: () => Promise<Response>): Promise<Response> {
    const before = await auditCount();
    const response = await work();
    expect(await auditCount()).toBe(before + rows);
    return response;
  }

  async function createUser(email: string, password: string, role: "ADMIN" | "MEMBER" = "MEMBER"): Promise<string> {
    const response = await audited(1, () => send(admin, "POST", "/api/admin/users", { email, name: email.split("@")[0], password, role }));
    expect(response.status).toBe(201);
    return ((await response.json()) as { user: { id: string } }).user.id;
  }

  async function signedIn(email: string, password: string): Promise<Session> {
    const session = new Session(app.url);
    expect(await session.signIn(email, password)).toBe(true);
    return session;
  }

  async function createInvite(body: Json): Promise<{ id: string; url: string; expiresAt: string }> {
    const response = await audited(1, () => send(admin, "POST", "/api/admin/invites", body));
    expect(response.status).toBe(201);
    const { invite } = (await response.json()) as { invite: { id: string; url: string; expiresAt: string } };
    tokens.push(tokenOf(invite.url));
    return invite;
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stopServer();
    const stored = await app.dumpDatabase();
    await app.stop();
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) {
      expect(stored).not.toContain(token);
      expect(stored).toContain(sha256(token));
    }
  });

  it.skipIf(skip)("creates, lists and revokes invites; the token is shown once and never listed", async () => {
    const group = (await (await send(admin, "POST", "/api/admin/groups", { name: "Research" })).json()) as { group: { id: string } };

    const unknown = crypto.randomUUID();
    const bad = await audited(0, () => send(admin, "POST", "/api/admin/invites", { role: "MEMBER", groupIds: [unknown] }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(unknown);
    expect((await audited(0, () => send(admin, "POST", "/api/admin/invites", { role: "MEMBER", expiresInHours: 0 }))).status).toBe(400);

    const invite = await createInvite({ role: "MEMBER", groupIds: [group.group.id] });
    expect(invite).toEqual({ id: expect.any(String), url: expect.stringMatching(/\/invite\/[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    expect(invite.url.startsWith(`${app.url}/invite/`)).toBe(true);
    const hours = (Date.parse(invite.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(167);
    expect(hours).toBeLessThanOrEqual(168);

    const listed = await admin.fetch("/api/admin/invites");
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(tokenOf(invite.url));
    expect(text).not.toContain(sha256(tokenOf(invite.url)));
    const { invites } = JSON.parse(text) as { invites: { id: string; status: string; groups: { name: string }[] }[] };
    expect(invites.find((i) => i.id === invite.id)).toMatchObject({ status: "pending", groups: [{ name: "Research" }] });

    const revoked = await createInvite({ role: "ADMIN" });
    expect((await audited(1, () => send(admin, "DELETE", `/api/admin/invites/${revoked.id}`))).status).toBe(204);
    expect((await audited(0, () => send(admin, "DELETE", `/api/admin/invites/${revoked.id}`))).status).toBe(409);
    const after = (await (await admin.fetch("/api/admin/invites")).json()) as { invites: { id: string; status: string }[] };
    expect(after.invites.find((i) => i.id === revoked.id)?.status).toBe("revoked");
    const refused = await send(new Session(app.url), "POST", `/api/invite/${tokenOf(revoked.url)}`, { name: "R", password: "password-123", email: "r@example.com" });
    expect(refused.status).toBe(409);

    const member = new Session(app.url);
    expect((await send(member, "POST", "/api/admin/invites", { role: "ADMIN" })).status).toBe(401);
  });

  it.skipIf(skip)("accepts an invite once: the account gets the invite's role and groups and is signed in", async () => {
    const groups = (await (await admin.fetch("/api/admin/groups")).json()) as { groups: { id: string; name: string }[] };
    const research = groups.groups.find((g) => g.name === "Research")!;
    const invite = await createInvite({ role: "ADMIN", groupIds: [research.id], email: "Grace@Example.com", expiresInHours: 2 });
    const token = tokenOf(invite.url);

    const info = (await (await fetch(`${app.url}/api/invite/${token}`)).json()) as { invite: Json };
    expect(info.invite).toMatchObject({ status: "pending", role: "ADMIN", email: "grace@example.com", groups: ["Research"] });

    const grace = new Session(app.url);
    const accepted = await send(grace, "POST", `/api/invite/${token}`, { name: "Grace", password: "grace-password", email: "other@example.com" });
    expect(accepted.status).toBe(201);
    expect(((await accepted.json()) as { user: Json }).user).toMatchObject({ email: "grace@example.com", role: "ADMIN" });
    const me = (await (await grace.fetch("/api/me")).json()) as { user: Json; groups: { name: string }[]; models: unknown[] };
    expect(me.user).toMatchObject({ email: "grace@example.com", name: "Grace", role: "ADMIN" });
    expect(me.groups.map((g) => g.name)).toEqual(["Everyone", "Research"]);
    expect(me.models.length).toBeGreaterThan(0);

    const again = await send(new Session(app.url), "POST", `/api/invite/${token}`, { name: "Mallory", password: "mallory-password" });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("conflict:invite");
    const unknown = await send(new Session(app.url), "POST", `/api/invite/${"x".repeat(43)}`, { name: "M", password: "mallory-password", email: "m@example.com" });
    expect(unknown.status).toBe(404);
    const listed = (await (await admin.fetch("/api/admin/invites")).json()) as { invites: { id: string; status: string; usedById: string }[] };
    expect(listed.invites.find((i) => i.id === invite.id)).toMatchObject({ status: "used", usedById: me.user.id });
  });

  it.skipIf(skip)("refuses a duplicate email on an invite with 409 and leaves the link usable", async () => {
    const invite = await createInvite({ role: "MEMBER" });
    const taken = await send(new Session(app.url), "POST", `/api/invite/${tokenOf(invite.url)}`, { name: "A", password: "password-123", email: ADMIN.email.toUpperCase() });
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string } }).error.code).toBe("conflict:user");
    const ok = await send(new Session(app.url), "POST", `/api/invite/${tokenOf(invite.url)}`, { name: "Hal", password: "password-123", email: "hal@example.com" });
    expect(ok.status).toBe(201);
  });

  it.skipIf(skip || database !== "postgres")("refuses an expired invite", async () => {
    const invite = await createInvite({ role: "MEMBER", expiresInHours: 1 });
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    await client.query(`UPDATE "Invite" SET "expiresAt" = now() - interval '1 minute' WHERE id = $1`, [invite.id]);
    await client.end();
    const response = await send(new Session(app.url), "POST", `/api/invite/${tokenOf(invite.url)}`, { name: "Late", password: "password-123", email: "late@example.com" });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    expect(await new Session(app.url).signIn("late@example.com", "password-123")).toBe(false);
  });

  it.skipIf(skip)("a reset link sets a new password once and ends the user's old sessions", async () => {
    const id = await createUser("carol@example.com", "carol-old-password");
    const old = await signedIn("carol@example.com", "carol-old-password");
    const created = await audited(1, () => send(admin, "POST", `/api/admin/users/${id}/password-reset`));
    expect(created.status).toBe(201);
    const { reset } = (await created.json()) as { reset: { url: string; expiresAt: string } };
    expect(reset.url).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
    tokens.push(tokenOf(reset.url));

    const browser = new Session(app.url);
    expect((await send(browser, "POST", `/api/reset/${tokenOf(reset.url)}`, { password: "carol-new-password" })).status).toBe(200);
    expect((await browser.fetch("/api/models")).status).toBe(200);
    expect((await old.fetch("/api/models")).status).toBe(401);
    expect(await new Session(app.url).signIn("carol@example.com", "carol-old-password")).toBe(false);
    expect(await new Session(app.url).signIn("carol@example.com", "carol-new-password")).toBe(true);
    expect((await send(new Session(app.url), "POST", `/api/reset/${tokenOf(reset.url)}`, { password: "mallory-password" })).status).toBe(409);
  });

  it.skipIf(skip)("a password change needs the current password and ends the other sessions, not this one", async () => {
    await createUser("dave@example.com", "dave-password-1");
    const here = await signedIn("dave@example.com", "dave-password-1");
    const elsewhere = await signedIn("dave@example.com", "dave-password-1");
    const wrong = await send(here, "POST", "/api/me/password", { currentPassword: "nope-nope", newPassword: "dave-password-2" });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/current password/);
    expect((await send(here, "POST", "/api/me/password", { currentPassword: "dave-password-1", newPassword: "dave-password-2" })).status).toBe(200);
    expect((await here.fetch("/api/models")).status).toBe(200);
    expect((await elsewhere.fetch("/api/models")).status).toBe(401);
    expect(await new Session(app.url).signIn("dave@example.com", "dave-password-2")).toBe(true);

    expect((await send(here, "PATCH", "/api/me", { name: "David" })).status).toBe(200);
    expect(((await (await here.fetch("/api/me")).json()) as { user: Json }).user.name).toBe("David");
  });

  it.skipIf(skip)("sign out everywhere ends every session of the user", async () => {
    await createUser("erin@example.com", "erin-password-1");
    const one = await signedIn("erin@example.com", "erin-password-1");
    const two = await signedIn("erin@example.com", "erin-password-1");
    expect((await send(one, "POST", "/api/me/sign-out-everywhere")).status).toBe(204);
    expect((await one.fetch("/api/models")).status).toBe(401);
    expect((await two.fetch("/api/models")).status).toBe(401);
    expect(await new Session(app.url).signIn("erin@example.com", "erin-password-1")).toBe(true);
  });

  it.skipIf(skip)("disabling ends the session; approve, rename and enable are audited one row each", async () => {
    const id = await createUser("finn@example.com", "finn-password-1");
    const finn = await signedIn("finn@example.com", "finn-password-1");
    const disabled = await audited(1, () => send(admin, "PATCH", `/api/admin/users/${id}`, { disabled: true }));
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { user: Json }).user).toMatchObject({ disabled: true, pending: false, deleted: false });
    expect((await finn.fetch("/api/models")).status).toBe(401);
    const changed = await audited(1, () => send(admin, "PATCH", `/api/admin/users/${id}`, { disabled: false, name: "Finnegan", approved: true }));
    expect(((await changed.json()) as { user: Json }).user).toMatchObject({ name: "Finnegan", disabled: false });
    // The session ended by the disable stays ended: enabling again does not revive it.
    expect((await finn.fetch("/api/models")).status).toBe(401);
    expect((await audited(0, () => send(admin, "PATCH", `/api/admin/users/${id}`, {}))).status).toBe(400);
  });

  async function chatOnce(session: Session): Promise<UsageRow> {
    const body = chatBody("hello");
    await readUiStream(await session.postJson("/api/chat", body));
    for (let i = 0; i < 100; i++) {
      const rows = ((await (await admin.fetch("/api/admin/usage?limit=50")).json()) as { usage: UsageRow[] }).usage;
      const row = rows.find((r) => r.chatId === body.id);
      if (row) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("no usage row");
  }

  it.skipIf(skip)("deletes a user as a tombstone: usage rows stay, chats stay or go as asked, the email is free again", async () => {
    const keepId = await createUser("gus@example.com", "gus-password-1");
    const gus = await signedIn("gus@example.com", "gus-password-1");
    const kept = await chatOnce(gus);
    expect((await audited(1, () => send(admin, "DELETE", `/api/admin/users/${keepId}`))).status).toBe(204);
    expect((await gus.fetch("/api/models")).status).toBe(401);
    expect(await new Session(app.url).signIn("gus@example.com", "gus-password-1")).toBe(false);

    const dropId = await createUser("ivy@example.com", "ivy-password-1");
    const dropped = await chatOnce(await signedIn("ivy@example.com", "ivy-password-1"));
    expect((await audited(1, () => send(admin, "DELETE", `/api/admin/users/${dropId}?chats=delete`))).status).toBe(204);
    expect((await audited(0, () => send(admin, "DELETE", `/api/admin/users/${dropId}`))).status).toBe(404);

    const usage = ((await (await admin.fetch("/api/admin/usage?limit=50")).json()) as { usage: UsageRow[] }).usage;
    expect(usage.find((r) => r.id === kept.id)?.chatId).toBe(kept.chatId); // the chat still exists
    expect(usage.find((r) => r.id === dropped.id)).toMatchObject({ chatId: dropped.chatId }); // the chat went, the row stayed

    const users = (await (await admin.fetch("/api/admin/users")).json()) as { users: { id: string }[] };
    expect(users.users.map((u) => u.id)).not.toContain(keepId);
    await createUser("gus@example.com", "gus-password-2");
  });

  it.skipIf(skip)("answers a duplicate email with 409, also when two requests race", async () => {
    const body = { email: "twin@example.com", name: "Twin", password: "twin-password" };
    const before = await auditCount();
    const responses = await Promise.all([send(admin, "POST", "/api/admin/users", body), send(admin, "POST", "/api/admin/users", body)]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const conflict = responses.find((r) => r.status === 409)!;
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe("conflict:user");
    expect(await auditCount()).toBe(before + 1);
    const again = await audited(0, () => send(admin, "POST", "/api/admin/users", { ...body, email: "TWIN@example.com" }));
    expect(again.status).toBe(409);
  });

  it.skipIf(skip)("never leaves the workspace without an active admin, even when two admins step down at once", async () => {
    const me = (await (await admin.fetch("/api/me")).json()) as { user: { id: string } };
    const users = (await (await admin.fetch("/api/admin/users")).json()) as { users: { id: string; role: string; email: string }[] };
    // Grace (an admin by invite) steps aside first, so Ada is the only active admin.
    const grace = users.users.find((u) => u.email === "grace@example.com")!;
    expect((await audited(1, () => send(admin, "PATCH", `/api/admin/users/${grace.id}`, { role: "MEMBER" }))).status).toBe(200);

    const last = await audited(0, () => send(admin, "PATCH", `/api/admin/users/${me.user.id}`, { role: "MEMBER" }));
    expect(last.status).toBe(409);
    expect(((await last.json()) as { error: { code: string } }).error.code).toBe("conflict:user");
    expect((await audited(0, () => send(admin, "PATCH", `/api/admin/users/${me.user.id}`, { disabled: true }))).status).toBe(403);
    expect((await audited(0, () => send(admin, "DELETE", `/api/admin/users/${me.user.id}`))).status).toBe(403);

    const otherId = await createUser("root@example.com", "root-password", "ADMIN");
    const other = await signedIn("root@example.com", "root-password");
    const results = await Promise.all([
      send(admin, "PATCH", `/api/admin/users/${me.user.id}`, { role: "MEMBER" }),
      send(other, "PATCH", `/api/admin/users/${otherId}`, { role: "MEMBER" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const still = results[0]!.status === 409 ? admin : other;
    const admins = (await (await still.fetch("/api/admin/users")).json()) as { users: { role: string; disabled: boolean }[] };
    expect(admins.users.filter((u) => u.role === "ADMIN" && !u.disabled)).toHaveLength(1);
  });
});
