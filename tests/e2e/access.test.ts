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

  it("sees a sign-in error on their next message, and lands on sign-in on their next navigation", async () => {
    const created = await admin.postJson("/api/admin/users", { email: "dan@example.com", name: "Dan", password: "dan-password-1" });
    const dan = (await json<{ user: { id: string } }>(await expectStatus(created, 201, "create"))).user;

    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(`${app.url}/signin`);
    await page.getByLabel("Email").fill("dan@example.com");
    await page.getByLabel("Password").fill("dan-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
    await page.getByTestId("chat-input").fill("Before the admin steps in");
    await page.getByTestId("chat-input").press("Enter");
    await page.waitForURL(/\/chat\//);
    await page.getByText("Echo: Before the admin steps in").waitFor();

    await expectStatus(await patchJson(admin, `/api/admin/users/${dan.id}`, { disabled: true }), 200, "disable");
    app.fake!.reset();

    // The next request: a message. The API refuses it and the chat says why.
    await page.getByTestId("chat-input").fill("Am I still here?");
    await page.getByTestId("chat-input").press("Enter");
    await page.getByText("You need to sign in first.").waitFor();
    expect(app.fake!.requests.filter((r) => r.path.includes("chat"))).toHaveLength(0);
    await screenshot(page, "disabled-member-message-refused");

    // The next navigation: an in-app link (an RSC request, not a page load) ends on sign-in.
    const navigations: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["rsc"] === "1") navigations.push(request.url());
    });
    await page.getByTestId("new-chat").click();
    await page.waitForURL(/\/signin/);
    expect(navigations.length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByText("Before the admin steps in").count()).toBe(0);
    await screenshot(page, "disabled-member-navigation-signin");

    // And they cannot sign in again.
    await page.getByLabel("Email").fill("dan@example.com");
    await page.getByLabel("Password").fill("dan-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("Wrong email or password.").waitFor();
    await context.close();
  });
});
