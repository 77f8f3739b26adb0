import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, screenshot } from "../support/browser";
import { setUpAdmin } from "../support/fixtures";
import { expectStatus, json, patchJson } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import type { Session } from "../support/session";

const pgSkip = await postgresReachable();

/** A member the admin disables while their browser is open is stopped on their next step. */
describe("a member disabled while signed in, in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let admin: Session;

  beforeAll(async () => {
    app = await startAppServer({ database: pgSkip ? "embedded" : "postgres" });
    admin = await setUpAdmin(app);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signedInMemberWithAChat(name: string) {
    const email = `${name.toLowerCase()}@example.com`;
    const password = `${name.toLowerCase()}-password-1`;
    const created = await admin.postJson("/api/admin/users", { email, name, password });
    const user = (await json<{ user: { id: string } }>(await expectStatus(created, 201, "create"))).user;
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(`${app.url}/signin`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByTestId("chat-input").fill(`${name} before the admin steps in`);
    await page.getByTestId("chat-input").press("Enter");
    await page.waitForURL(/\/chat\//);
    await page.getByTestId("send").waitFor(); // the reply has ended
    await page.getByTestId("chat-list").getByText(`${name} before the admin steps in`).waitFor();
    await page.waitForLoadState("networkidle");
    return { user, email, password, context, page };
  }

  it("refuses their next message with a sign-in error, then takes them to sign-in", async () => {
    const { user, context, page } = await signedInMemberWithAChat("Dan");
    await expectStatus(await patchJson(admin, `/api/admin/users/${user.id}`, { disabled: true }), 200, "disable");
    app.fake!.reset();

    await page.getByTestId("chat-input").fill("Am I still here?");
    await page.getByTestId("chat-input").press("Enter");
    await page.getByText("You need to sign in first.").waitFor();
    expect(app.fake!.requests.filter((r) => r.path.includes("chat"))).toHaveLength(0);
    await screenshot(page, "disabled-member-message-refused");
    // The chat then refreshes the page's data, which sends them to sign-in.
    await page.waitForURL(/\/signin/);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await context.close();
  });

  it("sends them to sign-in on their next in-app navigation, and they cannot sign in again", async () => {
    const { user, email, password, context, page } = await signedInMemberWithAChat("Fay");
    await expectStatus(await patchJson(admin, `/api/admin/users/${user.id}`, { disabled: true }), 200, "disable");

    // An in-app link: an RSC request, not a page load.
    const navigations: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["rsc"] === "1") navigations.push(request.url());
    });
    await page.getByRole("link", { name: "New chat" }).click();
    await page.waitForURL(/\/signin/);
    expect(navigations.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByText("Fay before the admin steps in").count()).toBe(0);
    await screenshot(page, "disabled-member-navigation-signin");

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("Wrong email or password.").waitFor();
    await context.close();
  });
});
