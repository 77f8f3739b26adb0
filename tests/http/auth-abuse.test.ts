import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();

interface ErrorBody {
  error: { code: string; message: string };
}

// Next fills X-Forwarded-For with the connecting address (127.0.0.1 here), so by default each
// attempt comes from its own address and only the account limit is in play.
let addresses = 0;
const freshIp = () => `198.18.${++addresses >> 8}.${addresses & 255}`;

/** One password sign-in through Auth.js's credentials endpoint, as a browser would post it. */
async function attempt(baseUrl: string, email: string, password: string, ip = freshIp()): Promise<Response> {
  const session = new Session(baseUrl);
  const csrf = (await (await session.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
  return session.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
    body: new URLSearchParams({ csrfToken: csrf.csrfToken, email, password, callbackUrl: "/" }),
  });
}

const signedIn = (response: Response) =>
  response.headers.getSetCookie().some((cookie) => /authjs\.session-token=[^;]/.test(cookie));

/** Ten failures on the account, then the eleventh attempt's answer. */
async function exhaust(baseUrl: string, email: string): Promise<Response> {
  for (let i = 1; i <= 10; i++) {
    const response = await attempt(baseUrl, email, `wrong password ${i}`);
    expect(response.status).toBe(302);
    expect(signedIn(response)).toBe(false);
  }
  return attempt(baseUrl, email, "wrong password 11");
}

async function expectThrottled(response: Response): Promise<ErrorBody> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("rate_limit:auth");
  expect(body.error.message).toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes?\.$/);
  return body;
}

/** The message with its minute count blanked, to compare two answers made moments apart. */
const generic = (body: ErrorBody) => ({ ...body.error, message: body.error.message.replace(/\d+/, "N") });

describe.each<DatabaseKind>(["embedded", "postgres"])("abuse protection on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
  });

  afterAll(async () => {
    if (!skip) await app.stop();
  });

  async function createMember(email: string, password = "member password") {
    const response = await admin.postJson("/api/admin/users", { email, name: "Member", password, role: "MEMBER" });
    expect(response.status).toBe(201);
  }

  async function groupNames(): Promise<string[]> {
    const body = (await (await admin.fetch("/api/admin/groups")).json()) as { groups: { name: string }[] };
    return body.groups.map((g) => g.name);
  }

  async function patchSettings(change: Record<string, unknown>) {
    const response = await admin.fetch("/api/admin/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
    });
    expect(response.status).toBe(200);
  }

  it.skipIf(skip)("first-run setup answers 409 once a user exists", async () => {
    const response = await fetch(`${app.url}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "late@example.com", name: "Late", password: "another password" }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorBody).error.code).toBe("conflict:setup");
  });

  it.skipIf(skip)("refuses cross-site state changes with 403 and writes nothing", async () => {
    const forgeries: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of forgeries) {
      const response = await admin.postJson("/api/admin/groups", { name: "Forged" }, { headers });
      expect(response.status).toBe(403);
      expect(((await response.json()) as ErrorBody).error.code).toBe("forbidden:api");
      const patch = await admin.fetch("/api/admin/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ signupMode: "open", signupDomains: ["evil.example"] }),
      });
      expect(patch.status).toBe(403);
    }
    expect(await groupNames()).not.toContain("Forged");
    const settings = (await (await admin.fetch("/api/admin/settings")).json()) as { settings: { signupMode: string } };
    expect(settings.settings.signupMode).toBe("invite");
    // The same request from the app's own page is fine.
    const sameOrigin = await admin.postJson("/api/admin/groups", { name: "Same origin" }, { headers: { origin: app.url } });
    expect(sameOrigin.status).toBe(201);
  });

  it.skipIf(skip)("answers 415 when a JSON route gets another content type, and writes nothing", async () => {
    const response = await admin.fetch("/api/admin/groups", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ name: "Plain text" }),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorBody).error.code).toBe("unsupported_media_type:api");
    expect(await groupNames()).not.toContain("Plain text");
  });

  it.skipIf(skip)("throttles the 11th sign-in attempt on an account, with one answer whether or not it exists", async () => {
    await createMember("bob@example.com", "bob's password");
    const existing = await expectThrottled(await exhaust(app.url, "bob@example.com"));
    const missing = await expectThrottled(await exhaust(app.url, "nobody-here@example.com"));
    expect(generic(missing)).toEqual(generic(existing));

    // Bob's right password is refused too while the window lasts; other accounts are unaffected.
    await expectThrottled(await attempt(app.url, "bob@example.com", "bob's password"));
    await expectThrottled(await attempt(app.url, "BOB@example.com", "bob's password"));
    expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(true);
  });

  it.skipIf(skip)("a correct password clears the account's failures", async () => {
    await createMember("carol@example.com", "carol's password");
    for (let i = 0; i < 9; i++) expect(signedIn(await attempt(app.url, "carol@example.com", "nope nope"))).toBe(false);
    expect(signedIn(await attempt(app.url, "carol@example.com", "carol's password"))).toBe(true);
    for (let i = 0; i < 9; i++) expect(signedIn(await attempt(app.url, "carol@example.com", "nope nope"))).toBe(false);
    expect(signedIn(await attempt(app.url, "carol@example.com", "carol's password"))).toBe(true);
  });

  it.skipIf(skip)("throttles 50 failures from one IP across accounts; other IPs go on", async () => {
    for (let i = 0; i < 50; i++) {
      const response = await attempt(app.url, `guess${i}@example.com`, "wrong", "203.0.113.7");
      expect(response.status).toBe(302);
    }
    await expectThrottled(await attempt(app.url, "guess-last@example.com", "wrong", "203.0.113.7"));
    expect((await attempt(app.url, "guess-other@example.com", "wrong", "198.51.100.2")).status).toBe(302);
  });

  it.skipIf(skip)("sign-up: refused while invite-only, then open to listed domains, 409 on a duplicate", async () => {
    const signUp = (body: Record<string, string>) =>
      fetch(`${app.url}/api/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const dana = { email: "dana@acme.test", name: "Dana", password: "dana's password" };

    const closed = await signUp(dana);
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as ErrorBody).error.message).toMatch(/invite/);

    await patchSettings({ signupMode: "open", signupDomains: ["acme.test"] });
    expect((await signUp({ ...dana, email: "dana@other.test" })).status).toBe(403);
    expect((await signUp({ ...dana, password: "short" })).status).toBe(400);
    const created = await signUp(dana);
    expect(created.status).toBe(201);
    expect(((await created.json()) as { user: { pending: boolean; role: string } }).user).toMatchObject({ pending: false, role: "MEMBER" });
    expect(await new Session(app.url).signIn(dana.email, dana.password)).toBe(true);
    expect((await signUp(dana)).status).toBe(409);
    const notJson = await fetch(`${app.url}/api/signup`, { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify(dana) });
    expect(notJson.status).toBe(415);
    const forged = await fetch(`${app.url}/api/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ ...dana, email: "forged@acme.test" }),
    });
    expect(forged.status).toBe(403);

    // With approval required the account waits, and cannot sign in until approved.
    await patchSettings({ signupRequiresApproval: true });
    const eve = { email: "eve@acme.test", name: "Eve", password: "eve's password" };
    const pending = await signUp(eve);
    const body = (await pending.json()) as { user: { id: string; pending: boolean } };
    expect(body).toMatchObject({ user: { pending: true } });
    expect(pending.status).toBe(201);
    const refused = await attempt(app.url, eve.email, eve.password);
    expect(signedIn(refused)).toBe(false);
    expect(refused.headers.get("location")).toContain("code=pending");
    const approve = await admin.fetch(`/api/admin/users/${body.user.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ approved: true }),
    });
    expect(approve.status).toBe(200);
    expect(await new Session(app.url).signIn(eve.email, eve.password)).toBe(true);
    await patchSettings({ signupMode: "invite", signupDomains: [], signupRequiresApproval: false });
    expect((await signUp({ ...eve, email: "frank@acme.test" })).status).toBe(403);
  });

  it.skipIf(skip || database !== "postgres")("lets the account in again once the window has ended", async () => {
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      // Ending the window by hand instead of waiting 15 minutes.
      await client.query(`UPDATE "RateLimit" SET "expiresAt" = "expiresAt" - interval '1 hour'`);
    } finally {
      await client.end();
    }
    expect(signedIn(await attempt(app.url, "bob@example.com", "bob's password"))).toBe(true);
  });
});

describe.skipIf(pgSkip !== null)("sign-in throttling across two instances on one PostgreSQL database", () => {
  let first: AppServer;
  let second: AppServer;

  beforeAll(async () => {
    first = await startAppServer({ database: "postgres", authSecret: null });
    second = await startAppServer({ database: "postgres", authSecret: null, sharedDatabaseUrl: first.databaseUrl });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it("counts attempts made on either instance against one limit", async () => {
    await setUpAdmin(first);
    for (let i = 0; i < 10; i++) {
      const response = await attempt(i % 2 ? second.url : first.url, ADMIN.email, `wrong ${i}`);
      expect(response.status).toBe(302);
    }
    await expectThrottled(await attempt(second.url, ADMIN.email, ADMIN.password));
    await expectThrottled(await attempt(first.url, ADMIN.email, ADMIN.password));
  });
});
