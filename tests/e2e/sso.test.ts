import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import { startTestIdp, type TestIdp } from "../support/oidc";
import { Session } from "../support/session";

interface User {
  id: string;
  email: string;
}

/**
 * Single sign-on end to end: a real OpenID Connect provider (oidc-provider, with its own login and
 * consent pages) on localhost, the production app configured for it by AUTH_OIDC_*, and a real
 * browser going back and forth between them.
 */
describe("single sign-on with OpenID Connect", () => {
  let idp: TestIdp;
  let app: AppServer;
  /**
   * The browser uses http://localhost:PORT: Next reports 127.0.0.1 as localhost in request.url,
   * so Auth.js's callback would compute a different redirect_uri than the sign-in action sent
   * for 127.0.0.1 (a real hostname has no such difference). It also keeps the app's and the
   * IdP's cookies apart.
   */
  let appUrl: string;
  let admin: Session;
  let browser: Browser;
  let researchId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    idp = await startTestIdp();
    app = await startAppServer({
      database: "embedded",
      env: { ...idp.appEnv, AUTH_OIDC_NAME: "Acme SSO", AUTH_OIDC_GROUPS_CLAIM: "groups" },
    });
    appUrl = app.url.replace("127.0.0.1", "localhost");
    idp.allowApp(appUrl);
    admin = await setUpAdmin(app);
    const created = await admin.postJson("/api/admin/groups", { name: "Research" });
    expect(created.status).toBe(201);
    researchId = ((await created.json()) as { group: { id: string } }).group.id;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await app?.stop();
    await idp?.close();
  });

  /** A fresh browser (no app or IdP session) that never leaves this machine (the IdP's page links a web font). */
  async function freshPage(options = desktop): Promise<Page> {
    const context = await browser.newContext(options);
    contexts.push(context);
    await context.route(
      (url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost",
      (route) => route.abort(),
    );
    return context.newPage();
  }

  /** Sign-in page → "Sign in with Acme SSO" → the IdP's login and consent → back to Pillbox. */
  async function signInWithSso(page: Page, login: string): Promise<void> {
    await page.goto(`${appUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with Acme SSO" }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill("any password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL((url) => url.href.startsWith(appUrl));
  }

  async function users(): Promise<User[]> {
    return ((await (await admin.fetch("/api/admin/users")).json()) as { users: User[] }).users;
  }

  async function patchSettings(change: Record<string, unknown>): Promise<void> {
    const response = await admin.fetch("/api/admin/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(change),
    });
    expect(response.status).toBe(200);
  }

  it("shows the SSO button next to the password form (light, dark, phone)", async () => {
    const page = await freshPage();
    await page.goto(`${appUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with Acme SSO" }).waitFor();
    await expect(page.getByLabel("Password").isVisible()).resolves.toBe(true);
    await screenshot(page, "signin-sso-light");
    const dark = await freshPage({ ...desktop, colorScheme: "dark" });
    await dark.goto(`${appUrl}/signin`);
    await dark.getByRole("button", { name: "Sign in with Acme SSO" }).waitFor();
    await screenshot(dark, "signin-sso-dark");
    const small = await freshPage(phone);
    await small.goto(`${appUrl}/signin`);
    await small.getByRole("button", { name: "Sign in with Acme SSO" }).waitFor();
    await screenshot(small, "signin-sso-phone");
  });

  it("signs an existing user in by verified email and adds them to the groups the claim names", async () => {
    const created = await admin.postJson("/api/admin/users", {
      email: "grace@example.com",
      name: "Grace Hopper",
      password: "a long password",
      role: "MEMBER",
    });
    expect(created.status).toBe(201);
    const grace = ((await created.json()) as { user: User }).user;
    idp.accounts.set("grace", {
      email: "Grace@Example.com",
      emailVerified: true,
      name: "Grace at Acme",
      groups: ["research", "a group Pillbox does not have"],
    });

    const page = await freshPage();
    await signInWithSso(page, "grace");
    await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await screenshot(page, "sso-signed-in");

    // The same account (no new user), now a member of Research (matched case-insensitively).
    expect((await users()).filter((u) => u.email === "grace@example.com").map((u) => u.id)).toEqual([grace.id]);
    const members = (await (await admin.fetch(`/api/admin/groups/${researchId}/members`)).json()) as { members: User[] };
    expect(members.members.map((m) => m.id)).toEqual([grace.id]);
    const audit = await (await admin.fetch("/api/admin/audit")).text();
    expect(audit).toContain("group.member.add");

    // Her session works for the API too.
    const chats = await page.request.get(`${appUrl}/api/chats`);
    expect(chats.status()).toBe(200);
  });

  it("refuses an unknown email while sign-up is invite-only, and creates no account", async () => {
    idp.accounts.set("stranger", { email: "stranger@example.com", emailVerified: true, name: "Stranger" });
    const page = await freshPage();
    await signInWithSso(page, "stranger");
    await page.waitForURL(/\/signin\?error=sso_invite/);
    await expect(page.getByTestId("sign-in-error").textContent()).resolves.toMatch(/ask an admin for an invite/i);
    expect((await users()).map((u) => u.email)).not.toContain("stranger@example.com");
  });

  it("refuses an email the identity provider has not verified", async () => {
    idp.accounts.set("unverified", { email: "grace@example.com", emailVerified: false, name: "Not Grace" });
    const page = await freshPage();
    await signInWithSso(page, "unverified");
    await page.waitForURL(/\/signin\?error=sso_unverified/);
    await expect(page.getByTestId("sign-in-error").textContent()).resolves.toMatch(/not verified your email/);
    await expect(page.request.get(`${appUrl}/api/chats`).then((r) => r.status())).resolves.toBe(401);
  });

  it("open sign-up: a listed domain gets an account, pending until approved when approval is required", async () => {
    await patchSettings({ signupMode: "open", signupDomains: ["acme.test"], signupRequiresApproval: true });
    idp.accounts.set("pat", { email: "pat@acme.test", emailVerified: true, name: "Pat Pending" });
    const pending = await freshPage();
    await signInWithSso(pending, "pat");
    await pending.waitForURL(/\/signin\?error=sso_pending/);
    await expect(pending.getByTestId("sign-in-error").textContent()).resolves.toMatch(/waiting for an admin's approval/);
    expect((await users()).map((u) => u.email)).toContain("pat@acme.test");

    idp.accounts.set("other", { email: "someone@elsewhere.test", emailVerified: true, name: "Elsewhere" });
    const elsewhere = await freshPage();
    await signInWithSso(elsewhere, "other");
    await elsewhere.waitForURL(/\/signin\?error=sso_domain/);

    await patchSettings({ signupRequiresApproval: false });
    idp.accounts.set("olive", { email: "olive@acme.test", emailVerified: true, name: "Olive Open" });
    const open = await freshPage();
    await signInWithSso(open, "olive");
    await open.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await patchSettings({ signupMode: "invite", signupDomains: [] });
  });

  it("admin settings page edits the sign-up policy; /signup follows it", async () => {
    const page = await freshPage();
    await page.goto(`${appUrl}/signin`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await page.goto(`${appUrl}/admin/settings`);
    await page.getByLabel(/Open sign-up for listed domains/).check();
    await page.getByLabel("Email domains open for sign-up").fill("acme.test\n@Example.org");
    await page.getByLabel(/Require approval/).check();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Settings saved.").waitFor();
    await screenshot(page, "admin-settings-light");
    const saved = (await (await admin.fetch("/api/admin/settings")).json()) as { settings: Record<string, unknown> };
    expect(saved.settings).toMatchObject({
      signupMode: "open",
      signupDomains: ["acme.test", "example.org"],
      signupRequiresApproval: true,
      passwordLogin: true,
    });
    const audit = (await (await admin.fetch("/api/admin/audit")).json()) as { entries?: { action: string }[] };
    expect(JSON.stringify(audit)).toContain("settings.update");

    const dark = await freshPage({ ...desktop, colorScheme: "dark" });
    await dark.context().addCookies(await page.context().cookies());
    await dark.goto(`${appUrl}/admin/settings`);
    await dark.getByRole("button", { name: "Save", exact: true }).waitFor();
    await screenshot(dark, "admin-settings-dark");

    const visitor = await freshPage(phone);
    await visitor.goto(`${appUrl}/signin`);
    await visitor.getByRole("link", { name: "Create an account" }).click();
    await visitor.getByRole("heading", { name: "Create an account" }).waitFor();
    await screenshot(visitor, "signup-phone");
    await visitor.getByLabel("Name").fill("Quinn");
    await visitor.getByLabel("Email").fill("quinn@example.org");
    await visitor.getByLabel(/Password/).fill("quinn's password");
    await visitor.getByRole("button", { name: "Create account" }).click();
    await visitor.getByText("Waiting for approval").waitFor();
    expect((await users()).map((u) => u.email)).toContain("quinn@example.org");
    await patchSettings({ signupMode: "invite", signupDomains: [], signupRequiresApproval: false });
  });

  it("with passwords turned off, shows only the SSO button and refuses a password sign-in", async () => {
    await patchSettings({ passwordLogin: false });
    const page = await freshPage();
    await page.goto(`${appUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with Acme SSO" }).waitFor();
    await expect(page.getByLabel("Password").count()).resolves.toBe(0);
    await screenshot(page, "signin-sso-only");
    expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(false);
    await patchSettings({ passwordLogin: true });
    expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(true);
  });

  it("the password form says when sign-in attempts are throttled", async () => {
    const page = await freshPage();
    await page.goto(`${appUrl}/signin`);
    const alert = page.locator('form p[role="alert"]');
    for (let attempt = 1; attempt <= 11; attempt++) {
      await page.getByLabel("Email").fill("nobody@example.com");
      await page.getByLabel("Password").fill(`wrong guess ${attempt}`);
      const answered = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signin");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await answered;
      await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
      await alert.waitFor();
    }
    await expect(alert.textContent()).resolves.toMatch(/^Too many sign-in attempts\. Try again in \d+ minutes?\.$/);
    await screenshot(page, "signin-throttled");
  });
});
