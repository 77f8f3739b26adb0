import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { EVERYONE_GROUP_ID } from "@/lib/db/groups";
import type { AppServer } from "./app-server";
import { ROOT } from "./constants";
import { ADMIN, chatBody, setUpAdmin } from "./fixtures";
import { Session } from "./session";

/** Everyone an access rule speaks about. */
export const PERSONAS = ["anonymous", "member", "grouped", "disabled", "revoked", "admin"] as const;
export type Persona = (typeof PERSONAS)[number];

/** The one model the "grouped" persona's group allows; Everyone allows none. */
export const GROUP_MODEL = "anthropic/claude-sonnet-4.5";
/** A model no group allows: only admins may see it anywhere. */
export const ADMIN_ONLY_MODEL = "google/gemini-2.5-flash";
export const ADMIN_CHAT_TITLE = "Quarterly numbers only Ada may read";

/** Text that must never reach anyone but the admin. */
export const ADMIN_SECRETS = [ADMIN.email, ADMIN_CHAT_TITLE, ADMIN_ONLY_MODEL];

export interface Account {
  id: string;
  email: string;
  password: string;
}

export interface World {
  sessions: Record<Persona, Session | null>;
  accounts: Record<"member" | "grouped" | "disabled" | "revoked" | "victim" | "scratch", Account>;
  groupId: string;
  adminChatId: string;
  /** the reply in the admin's chat */
  adminReplyId: string;
  /** How the revoked persona's sessions were ended. */
  revokedBy: "sign-out-everywhere" | "database" | null;
}

export async function json<T>(response: Response): Promise<T> {
  const text = await response.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`expected JSON, got ${response.status}: ${text.slice(0, 300)}`);
  }
}

export async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status}: ${await response.text()}`);
  return response;
}

async function createAccount(admin: Session, key: string, role: "ADMIN" | "MEMBER"): Promise<Account> {
  const account = { email: `${key}@example.com`, password: `${key}-password-1` };
  const response = await expectStatus(
    await admin.postJson("/api/admin/users", { ...account, name: key, role }),
    201,
    `create ${key}`,
  );
  return { ...account, id: (await json<{ user: { id: string } }>(response)).user.id };
}

export async function signedIn(app: AppServer, account: Account): Promise<Session> {
  const session = new Session(app.url);
  if (!(await session.signIn(account.email, account.password))) throw new Error(`${account.email} could not sign in`);
  return session;
}

export function patchJson(session: Session, pathname: string, body: unknown): Promise<Response> {
  return session.fetch(pathname, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/**
 * Ends every session of an account. Through POST /api/me/sign-out-everywhere once it exists;
 * until then by bumping "sessionVersion" in the database, which is what that route does
 * (PostgreSQL only: the embedded database is held by the server process). null: not possible here.
 */
export async function revokeSessions(app: AppServer, session: Session, account: Account): Promise<World["revokedBy"]> {
  if (fs.existsSync(path.join(ROOT, "app/api/me/sign-out-everywhere/route.ts"))) {
    const response = await session.fetch("/api/me/sign-out-everywhere", { method: "POST" });
    if (response.status >= 300) throw new Error(`sign-out-everywhere answered ${response.status}`);
    return "sign-out-everywhere";
  }
  if (!app.databaseUrl) return null;
  const client = new pg.Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    await client.query(`UPDATE "User" SET "sessionVersion" = "sessionVersion" + 1 WHERE id = $1`, [account.id]);
  } finally {
    await client.end();
  }
  return "database";
}

/**
 * The cast: an admin (Ada) with a chat and usage; a member whose groups allow nothing; a member of
 * a group allowing GROUP_MODEL; an admin who was disabled while signed in; an admin whose
 * sessions were revoked while signed in. Disabled and revoked are admins on purpose: if their
 * check were missing, an admin-only route would let them in, and the test would see it.
 */
export async function buildWorld(app: AppServer): Promise<World> {
  const admin = await setUpAdmin(app);
  await expectStatus(await admin.fetch("/api/admin/models/refresh", { method: "POST" }), 200, "catalog refresh");

  const chat = chatBody(ADMIN_CHAT_TITLE, GROUP_MODEL);
  await expectStatus(await admin.postJson("/api/chat", chat), 200, "admin chat").then((r) => r.text());
  const stored = await json<{ messages: { id: string; role: string }[] }>(await admin.fetch(`/api/chats/${chat.id}`));
  const adminReplyId = stored.messages.find((m) => m.role === "assistant")!.id;

  const accounts = {
    member: await createAccount(admin, "mia", "MEMBER"),
    grouped: await createAccount(admin, "gus", "MEMBER"),
    disabled: await createAccount(admin, "dora", "ADMIN"),
    revoked: await createAccount(admin, "rex", "ADMIN"),
    victim: await createAccount(admin, "vic", "MEMBER"),
    scratch: await createAccount(admin, "sam", "MEMBER"),
  };

  await expectStatus(await patchJson(admin, `/api/admin/groups/${EVERYONE_GROUP_ID}`, { modelIds: [] }), 200, "restrict Everyone");
  const group = await json<{ group: { id: string } }>(
    await expectStatus(await admin.postJson("/api/admin/groups", { name: "Writers", modelIds: [GROUP_MODEL] }), 201, "group"),
  );
  await expectStatus(
    await admin.postJson(`/api/admin/groups/${group.group.id}/members`, { userId: accounts.grouped.id }),
    201,
    "group member",
  );

  const disabled = await signedIn(app, accounts.disabled);
  await expectStatus(await patchJson(admin, `/api/admin/users/${accounts.disabled.id}`, { disabled: true }), 200, "disable");

  const revokedFirst = await signedIn(app, accounts.revoked);
  const revoked = await signedIn(app, accounts.revoked);
  const revokedBy = await revokeSessions(app, revokedFirst, accounts.revoked);

  return {
    sessions: {
      anonymous: new Session(app.url),
      member: await signedIn(app, accounts.member),
      grouped: await signedIn(app, accounts.grouped),
      disabled,
      revoked: revokedBy ? revoked : null,
      admin,
    },
    accounts,
    groupId: group.group.id,
    adminChatId: chat.id,
    adminReplyId,
    revokedBy,
  };
}
