// The authorization matrix. Every route handler method, every page and every server action found
// in app/ must have a rule here, and every rule must name something that exists: a new route
// without a rule fails this file. Each rule is then run against every persona on a real server.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { builtActionIds, pageSegments, pages, routeHandlers, serverActions } from "../support/app-tree";
import { ROOT } from "../support/constants";
import { ADMIN, chatBody } from "../support/fixtures";
import { solidPng } from "../support/images";
import {
  ADMIN_CHAT_TITLE,
  ADMIN_ONLY_MODEL,
  ADMIN_SECRETS,
  GROUP_MODEL,
  PERSONAS,
  buildWorld,
  json,
  signedIn as signedInSession,
  type Persona,
  type World,
} from "../support/personas";
import { anyDatabase, postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { describeOutcome, insideTree, loadPage, matchesOutcome, navigate, type PageOutcome } from "../support/rsc";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

type Status = number | readonly number[];
type Expectations = Record<Persona, Status>;

interface ApiRule {
  /** The concrete path to call (default: the pattern itself, which must then have no [params]). */
  path?: (w: World) => string;
  /** A valid body: a missing check would let the call succeed, and the status would show it. */
  body?: (w: World, persona: Persona) => unknown;
  /** A valid multipart form instead of a JSON body. */
  form?: () => FormData;
  expect: Expectations;
}

const adminOnly = (admin: Status): Expectations => ({
  anonymous: 401,
  member: 403,
  grouped: 403,
  disabled: 401,
  revoked: 401,
  admin,
});
const signedIn = (ok: Status, others: Partial<Expectations> = {}): Expectations => ({
  anonymous: 401,
  member: ok,
  grouped: ok,
  disabled: 401,
  revoked: 401,
  admin: ok,
  ...others,
});
const everyone = (status: Status): Expectations => ({
  anonymous: status,
  member: status,
  grouped: status,
  disabled: status,
  revoked: status,
  admin: status,
});

/** A file the admin uploaded before the matrix runs. */
let adminUploadId = "00000000-0000-4000-8000-00000000dead";
function pngForm(): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(solidPng(2, 2, [10, 20, 30]))], "matrix.png", { type: "image/png" }));
  return form;
}

const unique = (persona: Persona) => `${persona}-${crypto.randomUUID().slice(0, 8)}`;
/** Hundreds of requests per test; generous on a shared two-core machine. */
const MATRIX_TIMEOUT = 300_000;
const UNKNOWN_ID = "00000000-0000-4000-8000-00000000dead";

/**
 * Route handlers, in the order they run (a persona's call happens before the next persona's;
 * the admin, who may change things, goes last).
 */
const API_RULES: Record<string, ApiRule> = {
  "GET /api/health": { expect: everyone(200) },
  "POST /api/setup": {
    body: (_, p) => ({ email: `${unique(p)}@example.com`, name: "Second admin", password: "password-123" }),
    expect: everyone(409),
  },
  "GET /api/auth/[...nextauth]": { path: () => "/api/auth/session", expect: everyone(200) },
  // Auth.js refuses a POST without its CSRF token (a redirect to /signin?error=MissingCSRF).
  "POST /api/auth/[...nextauth]": { path: () => "/api/auth/signout", expect: everyone(302) },
  "GET /api/[...path]": { path: () => "/api/nope", expect: { ...everyone(404), anonymous: 401 } },
  "POST /api/[...path]": { path: () => "/api/nope", expect: { ...everyone(404), anonymous: 401 } },
  "PUT /api/[...path]": { path: () => "/api/nope", expect: { ...everyone(404), anonymous: 401 } },
  "PATCH /api/[...path]": { path: () => "/api/nope", expect: { ...everyone(404), anonymous: 401 } },
  "DELETE /api/[...path]": { path: () => "/api/nope", expect: { ...everyone(404), anonymous: 401 } },

  "GET /api/models": { expect: signedIn(200) },
  "POST /api/chat": {
    body: () => chatBody("matrix hello", GROUP_MODEL),
    expect: signedIn(200, { member: 403 }),
  },
  "GET /api/chats": { expect: signedIn(200) },
  "GET /api/chats/[id]": { path: (w) => `/api/chats/${w.adminChatId}`, expect: signedIn(404, { admin: 200 }) },
  "PATCH /api/chats/[id]": {
    path: (w) => `/api/chats/${w.adminChatId}`,
    body: (_, p) => ({ title: p === "admin" ? ADMIN_CHAT_TITLE : `taken by ${p}` }),
    expect: signedIn(404, { admin: 200 }),
  },
  // A search for the admin's chat title finds nothing for anyone else (the leak check proves it).
  "GET /api/chats/search": { path: () => "/api/chats/search?q=quarterly+numbers", expect: signedIn(200) },
  "GET /api/chats/[id]/export": { path: (w) => `/api/chats/${w.adminChatId}/export?format=md`, expect: signedIn(404, { admin: 200 }) },
  "GET /api/chats/[id]/share": { path: (w) => `/api/chats/${w.adminChatId}/share`, expect: signedIn(404, { admin: 200 }) },
  "GET /api/chats/[id]/messages/[messageId]/verification": {
    path: (w) => `/api/chats/${w.adminChatId}/messages/${w.adminReplyId}/verification`,
    expect: signedIn(404, { admin: 200 }),
  },
  "POST /api/chats/[id]/share": { path: (w) => `/api/chats/${w.adminChatId}/share`, expect: signedIn(404, { admin: 201 }) },
  "DELETE /api/chats/[id]/share": { path: (w) => `/api/chats/${w.adminChatId}/share`, expect: signedIn(404, { admin: 204 }) },
  "GET /api/shares/[token]": { path: () => `/api/shares/${"A".repeat(43)}`, expect: signedIn(404) },
  "POST /api/uploads": { form: () => pngForm(), expect: signedIn(201) },
  // The admin's upload: nobody else may read it.
  "GET /api/uploads/[id]": { path: () => `/api/uploads/${adminUploadId}`, expect: signedIn(404, { admin: 200 }) },

  "GET /api/admin/usage": { expect: adminOnly(200) },
  "GET /api/admin/audit": { expect: adminOnly(200) },
  "GET /api/admin/settings": { expect: adminOnly(200) },
  "PATCH /api/admin/settings": { body: () => ({ signupMode: "invite" }), expect: adminOnly(200) },
  "GET /api/admin/users": { expect: adminOnly(200) },
  "POST /api/admin/users": {
    body: (_, p) => ({ email: `${unique(p)}@example.com`, name: "New", password: "password-123", role: "ADMIN" }),
    expect: adminOnly(201),
  },
  "PATCH /api/admin/users/[id]": {
    path: (w) => `/api/admin/users/${w.accounts.scratch.id}`,
    body: () => ({ role: "ADMIN" }),
    expect: adminOnly(200),
  },
  "POST /api/admin/models/refresh": { expect: adminOnly(200) },
  "PATCH /api/admin/models/[...id]": {
    path: () => `/api/admin/models/${ADMIN_ONLY_MODEL}`,
    body: () => ({ enabled: false }),
    expect: adminOnly(200),
  },
  "GET /api/admin/groups": { expect: adminOnly(200) },
  "POST /api/admin/groups": { body: (_, p) => ({ name: `Group ${unique(p)}`, modelIds: [] }), expect: adminOnly(201) },
  "PATCH /api/admin/groups/[id]": {
    path: (w) => `/api/admin/groups/${w.groupId}`,
    body: (_, p) => ({ name: p === "admin" ? "Writers" : `Renamed by ${p}` }),
    expect: adminOnly(200),
  },
  "GET /api/admin/groups/[id]/members": { path: (w) => `/api/admin/groups/${w.groupId}/members`, expect: adminOnly(200) },
  "POST /api/admin/groups/[id]/members": {
    path: (w) => `/api/admin/groups/${w.groupId}/members`,
    body: (w) => ({ userId: w.accounts.victim.id }),
    expect: adminOnly(201),
  },
  "DELETE /api/admin/groups/[id]/members/[userId]": {
    path: (w) => `/api/admin/groups/${w.groupId}/members/${w.accounts.victim.id}`,
    expect: adminOnly(204),
  },
  "DELETE /api/chats/[id]": {
    path: (w) => `/api/chats/${w.adminChatId}`,
    expect: signedIn(404, { admin: 204 }),
  },
  "DELETE /api/admin/groups/[id]": { path: (w) => `/api/admin/groups/${w.groupId}`, expect: adminOnly(204) },

  "GET /api/usage/me": { expect: signedIn(200) },
  "GET /api/admin/usage/summary": { expect: adminOnly(200) },
  "GET /api/admin/usage/records": { expect: adminOnly(200) },
  "GET /api/admin/usage/export.csv": { expect: adminOnly(200) },
  "GET /api/admin/budgets": { expect: adminOnly(200) },
  "POST /api/admin/budgets": { body: () => ({ scope: "workspace", amountUsd: "1000", period: "month" }), expect: adminOnly(201) },
  "PATCH /api/admin/budgets/[id]": {
    path: () => `/api/admin/budgets/${UNKNOWN_ID}`,
    body: () => ({ amountUsd: "5" }),
    expect: adminOnly(404),
  },
  "DELETE /api/admin/budgets/[id]": { path: () => `/api/admin/budgets/${UNKNOWN_ID}`, expect: adminOnly(404) },
  "GET /api/invite/[token]": { path: () => "/api/invite/not-a-real-token", expect: everyone([400, 404]) },
  "POST /api/invite/[token]": {
    path: () => "/api/invite/not-a-real-token",
    body: () => ({ name: "Walk-in", password: "password-123" }),
    expect: everyone([400, 404]),
  },
  "POST /api/reset/[token]": {
    path: () => "/api/reset/not-a-real-token",
    body: () => ({ password: "password-123" }),
    expect: everyone([400, 404]),
  },
  "GET /api/admin/invites": { expect: adminOnly(200) },
  "POST /api/admin/invites": { body: () => ({ role: "MEMBER" }), expect: adminOnly(201) },
  "DELETE /api/admin/invites/[id]": { path: () => `/api/admin/invites/${UNKNOWN_ID}`, expect: adminOnly([204, 404]) },
  "POST /api/admin/users/[id]/password-reset": {
    path: (w) => `/api/admin/users/${w.accounts.scratch.id}/password-reset`,
    expect: adminOnly([200, 201]),
  },
  "DELETE /api/admin/users/[id]": { path: (w) => `/api/admin/users/${w.accounts.scratch.id}`, expect: adminOnly([200, 204]) },
  "POST /api/admin/models/bulk": {
    body: () => ({ ids: [GROUP_MODEL], enabled: true }),
    expect: adminOnly([200, 400]),
  },
  "GET /api/keys": { expect: signedIn(200) },
  "POST /api/keys": { body: (_, p) => ({ name: `Matrix key of ${p}` }), expect: signedIn(201) },
  "DELETE /api/keys/[id]": { path: () => `/api/keys/${UNKNOWN_ID}`, expect: signedIn(404) },
  "GET /api/admin/keys": { expect: adminOnly(200) },
  "DELETE /api/admin/keys/[id]": { path: () => `/api/admin/keys/${UNKNOWN_ID}`, expect: adminOnly(404) },
  // The OpenAI-compatible API takes personal API keys only: a session cookie gets nobody in
  // (tests/http/gateway*.test.ts test the keys).
  "GET /api/v1/models": { expect: everyone(401) },
  "POST /api/v1/chat/completions": {
    body: () => ({ model: GROUP_MODEL, messages: [{ role: "user", content: "matrix hello" }] }),
    expect: everyone(401),
  },
  "GET /api/v1/attestation/report": { path: () => `/api/v1/attestation/report?model=${GROUP_MODEL}`, expect: everyone(401) },
  "GET /api/v1/signature/[id]": { path: () => "/api/v1/signature/chatcmpl-matrix", expect: everyone(401) },
  "GET /api/me": { expect: signedIn(200) },
  "PATCH /api/me": { body: (_, p) => ({ name: `Renamed ${p}` }), expect: signedIn(200) },
  "POST /api/me/password": {
    body: () => ({ currentPassword: "not the password", newPassword: "a-new-password-1" }),
    expect: signedIn([400, 403]),
  },
  "POST /api/signup": {
    body: (_, p) => ({ email: `${unique(p)}@example.com`, name: "Walk-in", password: "password-123" }),
    expect: everyone([400, 403, 404]),
  },
  // Last: it ends the caller's sessions.
  "POST /api/me/sign-out-everywhere": { expect: signedIn([200, 204]) },
};


interface PageRule {
  path?: (w: World) => string;
  expect: Record<Persona, PageOutcome | "public">;
  /** For the admin: text the page must hold, proving the request reached the data. */
  adminSees?: string;
}

const adminPage = (adminSees?: string): PageRule => ({
  expect: { anonymous: "signin", member: "forbidden", grouped: "forbidden", disabled: "signin", revoked: "signin", admin: "ok" },
  adminSees,
});
const userPage: PageRule = {
  expect: { anonymous: "signin", member: "ok", grouped: "ok", disabled: "signin", revoked: "signin", admin: "ok" },
};
/** Reachable without a session (its own checks decide what it shows); must never leak. */
const publicPage: PageRule = {
  expect: { anonymous: "public", member: "public", grouped: "public", disabled: "public", revoked: "public", admin: "public" },
};

const PAGE_RULES: Record<string, PageRule> = {
  "/setup": {
    expect: {
      anonymous: { redirect: "/signin" },
      member: { redirect: "/signin" },
      grouped: { redirect: "/signin" },
      disabled: { redirect: "/signin" },
      revoked: { redirect: "/signin" },
      admin: { redirect: "/signin" },
    },
  },
  "/signin": {
    expect: { anonymous: "ok", member: { redirect: "/" }, grouped: { redirect: "/" }, disabled: "ok", revoked: "ok", admin: { redirect: "/" } },
  },
  "/": userPage,
  "/chat/[id]": {
    path: (w) => `/chat/${w.adminChatId}`,
    expect: { anonymous: "signin", member: "notFound", grouped: "notFound", disabled: "signin", revoked: "signin", admin: "ok" },
    adminSees: ADMIN_CHAT_TITLE,
  },
  "/admin": {
    expect: {
      anonymous: "signin",
      member: "forbidden",
      grouped: "forbidden",
      disabled: "signin",
      revoked: "signin",
      admin: { redirect: "/admin/usage" },
    },
  },
  "/admin/usage": adminPage("ada@example.com"),
  "/admin/users": adminPage("ada@example.com"),
  "/admin/models": adminPage(ADMIN_ONLY_MODEL),
  "/admin/groups": adminPage(),
  "/admin/audit": adminPage(),
  "/admin/settings": adminPage(),
  "/settings": userPage,
  "/settings/keys": userPage,
  "/admin/keys": adminPage(),
  "/signup": publicPage,
  "/invite/[token]": { ...publicPage, path: () => "/invite/not-a-real-token" },
  "/reset/[token]": { ...publicPage, path: () => "/reset/not-a-real-token" },
  "/admin/budgets": adminPage(),
  "/admin/groups/[id]": { ...adminPage(), path: (w) => `/admin/groups/${w.groupId}` },
  "/admin/users/[id]": { ...adminPage("vic@example.com"), path: (w) => `/admin/users/${w.accounts.victim.id}` },
  "/signup/pending": publicPage,
  "/usage": userPage,
  // A link that does not exist: nobody sees anything, and anonymous visitors are sent to sign in.
  "/share/[token]": {
    path: () => `/share/${"A".repeat(43)}`,
    expect: { anonymous: "signin", member: "notFound", grouped: "notFound", disabled: "signin", revoked: "signin", admin: "notFound" },
  },
};


/** Server actions: who may call each, and for admin actions a call that must change nothing. */
type ActionRule =
  | { access: "public"; why: string }
  /** Acts on the caller's own account: its first await is requireUserAction(). */
  | { access: "user"; why: string }
  /**
   * An admin action that answers `{ ok: false, message }` when refused: a non-admin's call must be
   * refused with the sign-in or admin message (a missing check would get further and say
   * something else, or succeed).
   */
  | { access: "admin"; refusedWith: (w: World) => unknown[] | FormData }
  | {
      access: "admin";
      /** Arguments a non-admin tries: they would change something if the check were missing. */
      args: (w: World) => unknown[] | FormData;
      /** Arguments for the admin's control call, which must succeed. */
      adminArgs: (w: World) => unknown[] | FormData;
      /** Reads, as the admin, whether anything changed. */
      unchanged: (w: World) => Promise<boolean>;
    };

function userForm(email: string): FormData {
  const form = new FormData();
  form.set("name", "Created by action");
  form.set("email", email);
  form.set("password", "password-123");
  form.set("role", "ADMIN");
  return form;
}

let currentApp: AppServer;

async function listUsers(w: World) {
  return (await json<{ users: { id: string; email: string; disabled: boolean }[] }>(await w.sessions.admin!.fetch("/api/admin/users"))).users;
}

const ACTION_RULES: Record<string, ActionRule> = {
  "app/(auth)/actions.ts#signInAction": { access: "public", why: "signs in with the credentials it is given" },
  "app/(auth)/actions.ts#setupAction": { access: "public", why: "creates the first admin; refuses once a user exists, and without PILLBOX_SETUP_TOKEN when that is set" },
  "app/(auth)/actions.ts#signOutAction": { access: "public", why: "ends the caller's own session" },
  "app/(auth)/actions.ts#ssoSignInAction": { access: "public", why: "starts the single sign-on redirect" },
  "app/(auth)/actions.ts#signUpAction": { access: "public", why: "open sign-up; the workspace policy decides" },
  "app/(auth)/invite/actions.ts#acceptInviteAction": { access: "public", why: "the invite token is the credential" },
  "app/(auth)/reset/actions.ts#resetPasswordAction": { access: "public", why: "the reset token is the credential" },
  "app/(chat)/settings/actions.ts#renameAction": { access: "user", why: "renames the caller" },
  "app/(chat)/settings/actions.ts#signOutEverywhereAction": { access: "user", why: "ends the caller's sessions" },
  "app/admin/budgets/actions.ts#createBudgetAction": {
    access: "admin",
    refusedWith: () => [{ scope: "workspace", amountUsd: "0", period: "day" }],
  },
  "app/admin/budgets/actions.ts#updateBudgetAction": { access: "admin", refusedWith: () => [{ id: UNKNOWN_ID, change: { amountUsd: "0" } }] },
  "app/admin/budgets/actions.ts#deleteBudgetAction": { access: "admin", refusedWith: () => [{ id: UNKNOWN_ID }] },
  "app/admin/groups/actions.ts#createGroupAction": {
    access: "admin",
    refusedWith: () => {
      const form = new FormData();
      form.set("name", "Made by an intruder");
      return [null, form];
    },
  },
  "app/admin/groups/actions.ts#renameGroupAction": { access: "admin", refusedWith: (w) => [{ groupId: w.groupId, name: "Hijacked" }] },
  "app/admin/groups/actions.ts#setGroupModelsAction": {
    access: "admin",
    refusedWith: (w) => [{ groupId: w.groupId, modelIds: null, teeOnly: false }],
  },
  "app/admin/groups/actions.ts#deleteGroupAction": { access: "admin", refusedWith: (w) => [{ groupId: w.groupId }] },
  "app/admin/groups/actions.ts#addGroupMemberAction": {
    access: "admin",
    refusedWith: (w) => [{ groupId: w.groupId, userId: w.accounts.victim.id }],
  },
  "app/admin/groups/actions.ts#removeGroupMemberAction": {
    access: "admin",
    refusedWith: (w) => [{ groupId: w.groupId, userId: w.accounts.victim.id }],
  },
  "app/admin/groups/actions.ts#setGroupApiAccessAction": {
    access: "admin",
    refusedWith: (w) => [{ groupId: w.groupId, apiAccess: false }],
  },
  "app/admin/groups/actions.ts#setGroupVerificationAction": {
    access: "admin",
    refusedWith: (w) => [{ groupId: w.groupId, requireVerified: true }],
  },
  "app/admin/groups/actions.ts#setGroupLimitsAction": { access: "admin", refusedWith: (w) => [{ groupId: w.groupId, rpm: "0", tpm: "0" }] },
  "app/admin/models/actions.ts#changeModelAction": { access: "admin", refusedWith: () => [{ id: GROUP_MODEL, enabled: false }] },
  "app/admin/models/actions.ts#bulkModelsAction": { access: "admin", refusedWith: () => [{ ids: [GROUP_MODEL], enabled: false }] },
  "app/admin/models/actions.ts#modelSettingsAction": { access: "admin", refusedWith: () => [{ autoEnableNewModels: true }] },
  "app/admin/settings/actions.ts#saveSignInSettingsAction": {
    access: "admin",
    refusedWith: () => {
      const form = new FormData();
      form.set("signupMode", "open");
      return [null, form];
    },
  },
  "app/admin/settings/actions.ts#saveChatDefaultsAction": {
    access: "admin",
    args: () => [{ system: "Injected by an intruder" }],
    adminArgs: () => [{}],
    unchanged: async (w) =>
      (await json<{ settings: { chatDefaults: { system?: string } } }>(await w.sessions.admin!.fetch("/api/admin/settings"))).settings
        .chatDefaults.system === undefined,
  },
  "app/admin/settings/actions.ts#saveTitleModelAction": {
    access: "admin",
    args: () => [GROUP_MODEL],
    adminArgs: () => [null],
    unchanged: async (w) =>
      (await json<{ settings: { titleModelId: string | null } }>(await w.sessions.admin!.fetch("/api/admin/settings"))).settings
        .titleModelId === null,
  },
  "app/admin/usage/actions.ts#setUsageTimeZoneAction": {
    access: "admin",
    args: () => {
      const form = new FormData();
      form.set("timeZone", "Asia/Tokyo");
      return form;
    },
    adminArgs: () => {
      const form = new FormData();
      form.set("timeZone", "UTC");
      return form;
    },
    unchanged: async (w) =>
      (await json<{ settings: { timeZone: string } }>(await w.sessions.admin!.fetch("/api/admin/settings"))).settings.timeZone === "UTC",
  },
  "app/admin/users/actions.ts#deleteUserAction": { access: "admin", refusedWith: (w) => [{ userId: w.accounts.victim.id, chats: "delete" }] },
  "app/admin/users/actions.ts#setUserLimitsAction": {
    access: "admin",
    refusedWith: (w) => [{ userId: w.accounts.victim.id, rpm: "0", tpm: "0" }],
  },
  "app/admin/users/actions.ts#resetLinkAction": { access: "admin", refusedWith: (w) => [{ userId: w.accounts.victim.id }] },
  "app/admin/users/actions.ts#createInviteAction": { access: "admin", refusedWith: () => [{ role: "ADMIN" }] },
  "app/admin/users/actions.ts#revokeInviteAction": { access: "admin", refusedWith: () => [{ inviteId: UNKNOWN_ID }] },
  "app/admin/models/actions.ts#refreshModelsAction": {
    access: "admin",
    args: () => [],
    adminArgs: () => [],
    // A refresh cannot be told apart from none afterwards; the non-admin's answer is checked instead.
    unchanged: async () => true,
  },
  "app/admin/users/actions.ts#changeUserAction": {
    access: "admin",
    args: (w) => [{ userId: w.accounts.victim.id, disabled: true }],
    adminArgs: (w) => [{ userId: w.accounts.victim.id, disabled: false }],
    unchanged: async (w) => (await listUsers(w)).find((u) => u.id === w.accounts.victim.id)?.disabled === false,
  },
  "app/admin/users/actions.ts#createUserAction": {
    access: "admin",
    args: () => [null, userForm("made-by-intruder@example.com")],
    adminArgs: () => [null, userForm("made-by-admin-action@example.com")],
    unchanged: async (w) => !(await listUsers(w)).some((u) => u.email === "made-by-intruder@example.com"),
  },
};

function includes(status: Status, actual: number): boolean {
  return typeof status === "number" ? status === actual : status.includes(actual);
}

/**
 * A server action call as React's client makes it: a POST to a page that uses the action, with
 * its id in `Next-Action` and the arguments encoded as React's reply format (JSON, or multipart
 * with `$K` references for FormData arguments).
 */
async function callAction(w: World, persona: Persona, action: { id: string; page: string }, args: unknown[] | FormData) {
  const session = w.sessions[persona]!;
  const headers: Record<string, string> = { "Next-Action": action.id, Accept: "text/x-component", Origin: currentApp.url };
  let body: string | FormData;
  const list = args instanceof FormData ? [args] : args;
  const formIndex = list.findIndex((a) => a instanceof FormData);
  if (formIndex === -1) {
    headers["content-type"] = "text/plain;charset=UTF-8";
    body = JSON.stringify(list);
  } else {
    body = new FormData();
    const refs = list.map((a, i) => (a instanceof FormData ? `$K${i + 1}` : a));
    list.forEach((a, i) => {
      if (a instanceof FormData) for (const [key, value] of a) (body as FormData).append(`_${i + 1}_${key}`, value);
    });
    // The root goes last, as React's encodeReply sends it: the server resolves $K references
    // against the fields that arrived before it.
    body.set("0", JSON.stringify(refs));
  }
  const response = await session.fetch(action.page, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

/**
 * The first call an action makes that does anything: the first call it awaits, or, when it first
 * hands its work to a helper of its own file (`return attempt(async (actor) => …)`,
 * `await adminActor()`), the first call that helper awaits.
 */
function firstCheck(action: { key: string; body: string }): string | undefined {
  const source = readFileSync(path.join(ROOT, action.key.split("#")[0]!), "utf8");
  const helpers = new Map<string, string>();
  for (const m of source.matchAll(/^(?:async\s+)?function\s+(\w+)[\s\S]*?\n\}/gm)) helpers.set(m[1]!, m[0]);
  const walk = (body: string, depth: number): string | undefined => {
    const calls = [...body.matchAll(/(await\s+)?([\w.]+)\s*\(/g)].slice(1); // [0] is the function's own name
    for (const [, awaited, name] of calls) {
      if (name && helpers.has(name) && depth < 2) {
        const inner = walk(helpers.get(name)!, depth + 1);
        // A helper that first runs the work it was handed: the check is in that work, read on.
        if (inner !== "work") return inner;
        continue;
      }
      if (awaited) return name;
    }
    return undefined;
  };
  return walk(action.body, 0);
}

describe("the rules cover the app exactly", () => {
  it("has a rule for every route handler method, and no rule for a route that is gone", () => {
    const found = routeHandlers();
    expect(found.length).toBeGreaterThan(20); // the walk did find the handlers
    const missing = found.filter((key) => !(key in API_RULES));
    expect(missing, "route handlers without a rule in API_RULES").toEqual([]);
    expect(Object.keys(API_RULES).filter((key) => !found.includes(key)), "rules for routes that do not exist").toEqual([]);
  });

  it("has a rule for every page, and no rule for a page that is gone", () => {
    const found = pages();
    expect(found.length).toBeGreaterThan(5);
    expect(found.filter((p) => !(p in PAGE_RULES)), "pages without a rule").toEqual([]);
    expect(Object.keys(PAGE_RULES).filter((p) => !found.includes(p)), "rules for pages that do not exist").toEqual([]);
  });

  it("has a rule for every server action, and every non-public action checks its caller first thing", () => {
    const actions = serverActions();
    expect(actions.length).toBeGreaterThan(3);
    expect(actions.filter((a) => !(a.key in ACTION_RULES)).map((a) => a.key), "server actions without a rule").toEqual([]);
    expect(Object.keys(ACTION_RULES).filter((k) => !actions.some((a) => a.key === k)), "rules for actions that are gone").toEqual([]);
    for (const action of actions) {
      const access = ACTION_RULES[action.key]?.access;
      if (access !== "admin" && access !== "user") continue;
      const check = access === "admin" ? "requireAdminAction" : "requireUserAction";
      expect(firstCheck(action), `${action.key} must begin with await ${check}()`).toBe(check);
    }
  });

  it("has a rule for every page and route of the built app's actions manifest", () => {
    const built = builtActionIds();
    expect([...built.keys()].filter((key) => !(key in ACTION_RULES))).toEqual([]);
  });
});

describe.each<DatabaseKind>([anyDatabase(pgSkip)])("authorization matrix on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let world: World;
  const personas = () => PERSONAS.filter((p) => world.sessions[p] !== null);

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    currentApp = app;
    world = await buildWorld(app);
    const upload = await world.sessions.admin!.fetch("/api/uploads", { method: "POST", body: pngForm() });
    adminUploadId = (await json<{ id: string }>(upload)).id;
    if (!world.revokedBy) console.warn(`[authorization] ${database}: no way to revoke sessions yet; the revoked persona is left out`);
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
  });

  it.skipIf(skip)("the personas are who they claim to be", async () => {
    const { sessions, accounts } = world;
    expect((await sessions.member!.fetch("/api/chats")).status).toBe(200);
    expect((await sessions.disabled!.fetch("/api/chats")).status).toBe(401);
    if (sessions.revoked) {
      expect((await sessions.revoked.fetch("/api/chats")).status).toBe(401);
      // Revoked, not disabled: the same account signs in afresh.
      const fresh = await signedInSession(app, accounts.revoked);
      expect((await fresh.fetch("/api/admin/usage")).status).toBe(200);
    }
    const models = async (p: Persona) =>
      (await json<{ models: { id: string }[] }>(await sessions[p]!.fetch("/api/models"))).models.map((m) => m.id);
    expect(await models("member")).toEqual([]);
    expect(await models("grouped")).toEqual([GROUP_MODEL]);
    expect(await models("admin")).toContain(ADMIN_ONLY_MODEL);
  }, MATRIX_TIMEOUT);

  it.skipIf(skip)("every page answers each persona as its rule says: full load, in-app navigation, and navigation from inside its layouts", async () => {
    const failures: string[] = [];
    const segments = pageSegments();
    const rules = PAGE_RULES;
    for (const [pattern, rule] of Object.entries(rules)) {
      const pathname = rule.path ? rule.path(world) : pattern;
      for (const persona of personas()) {
        const session = world.sessions[persona]!;
        for (const kind of ["full", "rsc", "rsc-inside"] as const) {
          const page =
            kind === "full"
              ? await loadPage(session, pathname)
              : await navigate(session, pathname, kind === "rsc-inside" ? insideTree(segments.get(pattern)!) : undefined);
          const expected = rule.expect[persona];
          const label = `${persona} ${kind} ${pathname}`;
          const mode = kind === "full" ? "full" : "rsc";
          if (expected === "public") {
            if (page.status >= 500) failures.push(`${label}: ${describeOutcome(page, mode)}`);
          } else if (!matchesOutcome(page, expected, mode)) {
            failures.push(`${label}: expected ${JSON.stringify(expected)}, got ${describeOutcome(page, mode)}`);
          }
          if (persona !== "admin") {
            for (const secret of ADMIN_SECRETS) if (page.body.includes(secret)) failures.push(`${label}: leaked "${secret}"`);
          } else if (rule.adminSees && expected === "ok" && !page.body.includes(rule.adminSees)) {
            // The control: the replayed request does reach the data, so the checks above can fail.
            failures.push(`${label}: the admin's response lacks "${rule.adminSees}"`);
          }
          const outer = segments.get(pattern)![0];
          if (persona === "admin" && kind === "rsc-inside" && expected === "ok" && segments.get(pattern)!.length > 1) {
            // The control for "inside": the server trusted the tree and left the outer layout
            // unrendered ("r":null), so only the page's own check stood between it and the data.
            const skipped = new RegExp(`"s":"${outer!.replace(/[()[\]]/g, "\\$&")}"[^{]*"d":\\{"r":null`);
            if (!skipped.test(page.body)) failures.push(`${label}: the layouts were rendered again`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, MATRIX_TIMEOUT);

  it.skipIf(skip)("every route handler method answers each persona as its rule says", async () => {
    const failures: string[] = [];
    const rules = API_RULES;
    for (const [key, rule] of Object.entries(rules)) {
      const [method, pattern] = key.split(" ") as [string, string];
      const pathname = rule.path ? rule.path(world) : pattern;
      for (const persona of personas()) {
        const body = rule.body?.(world, persona);
        const response = await world.sessions[persona]!.fetch(pathname, {
          method,
          ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
          ...(rule.form ? { body: rule.form() } : {}),
        });
        const text = await response.text();
        const label = `${persona} ${method} ${pathname}`;
        if (!includes(rule.expect[persona], response.status)) {
          failures.push(`${label}: expected ${JSON.stringify(rule.expect[persona])}, got ${response.status} ${text.slice(0, 200)}`);
        }
        if (persona === "admin") continue;
        for (const secret of ADMIN_SECRETS) if (text.includes(secret)) failures.push(`${label}: leaked "${secret}"`);
        if ([401, 403].includes(response.status) && pathname.startsWith("/api/") && !pathname.startsWith("/api/auth/")) {
          const error = (JSON.parse(text) as { error?: { code?: string } }).error;
          if (!error?.code) failures.push(`${label}: ${response.status} without an error code`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, MATRIX_TIMEOUT);

  it.skipIf(skip)("no server action lets anyone but an admin change anything", async () => {
    // The route matrix ends with everyone's "sign out everywhere": the admin signs in afresh.
    const admin = new Session(app.url);
    expect(await admin.signIn(ADMIN.email, ADMIN.password)).toBe(true);
    world.sessions.admin = admin;
    const built = builtActionIds();
    const failures: string[] = [];
    for (const [key, rule] of Object.entries(ACTION_RULES)) {
      if (rule.access !== "admin") continue;
      const action = built.get(key);
      if (!action) {
        failures.push(`${key}: not in the build's action manifest`);
        continue;
      }
      if ("refusedWith" in rule) {
        for (const persona of personas().filter((p) => p !== "admin")) {
          const { status, text } = await callAction(world, persona, action, rule.refusedWith(world));
          // Without a session the proxy sends the request to sign-in before any action runs.
          const refused = /Only admins can do that\.|You need to sign in first\./.test(text) || (status === 307 && persona === "anonymous");
          if (!refused || /"ok":true/.test(text)) {
            failures.push(`${persona} ${key}: not refused as a non-admin (${status}) ${text.slice(0, 200)}`);
          }
          for (const secret of ADMIN_SECRETS) if (text.includes(secret)) failures.push(`${persona} ${key}: leaked "${secret}"`);
        }
        continue;
      }
      for (const persona of personas().filter((p) => p !== "admin")) {
        const { status, text } = await callAction(world, persona, action, rule.args(world));
        if (/"ok":true/.test(text) || !(await rule.unchanged(world))) failures.push(`${persona} ${key}: changed something (${status})`);
        for (const secret of ADMIN_SECRETS) if (text.includes(secret)) failures.push(`${persona} ${key}: leaked "${secret}"`);
      }
      // The control: the same call as the admin succeeds, so the refusals above are real.
      const control = await callAction(world, "admin", action, rule.adminArgs(world));
      if (control.status !== 200 || /"digest"/.test(control.text) || /"ok":false/.test(control.text)) {
        failures.push(`admin ${key}: the control call failed (${control.status}) ${control.text.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    // The admin's createUserAction did create its user: the encoding of FormData arguments works.
    expect((await listUsers(world)).some((u) => u.email === "made-by-admin-action@example.com")).toBe(true);
  }, MATRIX_TIMEOUT);
});
