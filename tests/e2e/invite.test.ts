import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

/** An admin invites someone in the UI; the link, opened in a fresh browser, lands them signed in in the chat. */
describe("invites in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let inviteUrl: string;
  let invitee: BrowserContext;
  let resetUrl: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    const api = await setUpAdmin(app);
    await api.postJson("/api/admin/groups", { name: "Research" });
    browser = await launchBrowser();
    adminContext = await browser.newContext(desktop);
    page = await adminContext.newPage();
    await page.goto(`${app.url}/signin`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("lets an admin create an invite link with a role and groups", async () => {
    await page.goto(`${app.url}/admin/users`);
    const form = page.getByTestId("invite-form");
    await form.getByLabel("Research").check();
    await form.getByRole("button", { name: "Create invite link" }).click();
    const link = page.getByTestId("one-time-link");
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("invite-row").first().getByText("Pending").waitFor();
    await screenshot(page, "admin-invites-light");
  });

  it("signs the invited person in, in a fresh browser, and lands them in the chat", async () => {
    invitee = await browser.newContext(desktop);
    const guest = await invitee.newPage();
    await guest.goto(inviteUrl);
    await guest.getByRole("heading", { name: "Join Pillbox" }).waitFor();
    await guest.getByText("Ada Admin invited you").waitFor();
    await screenshot(guest, "invite-accept-light");
    await guest.getByLabel("Name").fill("Nia Newcomer");
    await guest.getByLabel("Email").fill("nia@example.com");
    await guest.getByLabel(/Password/).fill("nia-password-1");
    await guest.getByRole("button", { name: "Create my account" }).click();
    await guest.waitForURL(`${app.url}/`);
    await guest.getByRole("heading", { name: "What can I help with?" }).waitFor();

    await guest.getByTestId("settings-link").click();
    await guest.waitForURL(`${app.url}/settings`);
    await guest.getByTestId("my-groups").getByText("Research").waitFor();
    await guest.getByTestId("my-models").waitFor();
    await screenshot(guest, "settings-light");

    // The link is used up: opening it again says so and creates nothing.
    const again = await (await browser.newContext(desktop)).newPage();
    await again.goto(inviteUrl);
    await again.getByText("This link has already been used.").waitFor();
    await screenshot(again, "invite-used-light");
  });

  it("shows the invite page and /settings in dark mode and at phone width", async () => {
    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await invitee.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/settings`);
    await darkPage.getByRole("heading", { name: "Settings" }).waitFor();
    await screenshot(darkPage, "settings-dark");
    await darkPage.getByTestId("my-models").scrollIntoViewIfNeeded();
    await screenshot(darkPage, "settings-access-dark");
    await dark.close();

    const fresh = await createInviteLink();
    const darkGuest = await (await browser.newContext({ ...desktop, colorScheme: "dark" })).newPage();
    await darkGuest.goto(fresh);
    await darkGuest.getByRole("heading", { name: "Join Pillbox" }).waitFor();
    await screenshot(darkGuest, "invite-accept-dark");

    const mobile = await (await browser.newContext({ ...phone, storageState: await invitee.storageState() })).newPage();
    await mobile.goto(`${app.url}/settings`);
    await mobile.getByRole("heading", { name: "Settings" }).waitFor();
    await screenshot(mobile, "settings-phone");
  });

  it("gives an admin per-user actions: a reset link and a delete that asks about chats", async () => {
    await page.goto(`${app.url}/admin/users`);
    await page.getByRole("button", { name: "Reset link for nia@example.com" }).click();
    const link = page.getByTestId("one-time-link");
    await link.waitFor();
    resetUrl = await link.inputValue();
    expect(resetUrl).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("users-table").scrollIntoViewIfNeeded();
    await screenshot(page, "admin-users-actions-light");
    await page.getByRole("button", { name: "Delete nia@example.com" }).click();
    await page.getByRole("radio", { name: "Keep their chats" }).waitFor();
    await screenshot(page, "admin-user-delete-light");
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("changes the password in /settings, keeping this browser signed in and ending the others, then signs out everywhere", async () => {
    const other = await browser.newContext({ ...desktop, storageState: await invitee.storageState() });
    const otherPage = await other.newPage();
    const settings = await invitee.newPage();
    await settings.goto(`${app.url}/settings`);
    await settings.getByLabel("Current password").fill("not-my-password");
    await settings.getByLabel(/New password/).fill("nia-password-2");
    await settings.getByRole("button", { name: "Change password" }).click();
    await settings.getByRole("alert").getByText("Your current password is not right.").waitFor();
    await settings.getByLabel("Current password").fill("nia-password-1");
    await settings.getByLabel(/New password/).fill("nia-password-2");
    await settings.getByRole("button", { name: "Change password" }).click();
    await settings.getByText("Password changed.").waitFor();

    await settings.reload();
    await settings.getByRole("heading", { name: "Settings" }).waitFor();
    await otherPage.goto(`${app.url}/settings`);
    await otherPage.waitForURL(/\/signin/);
    await other.close();

    await settings.getByRole("button", { name: "Sign out everywhere" }).click();
    await settings.getByRole("alertdialog").getByRole("button", { name: "Sign out everywhere" }).click();
    await settings.waitForURL(/\/signin/);
    await settings.goto(`${app.url}/settings`);
    await settings.waitForURL(/\/signin/);
  });

  it("sets a new password through the admin's reset link and signs the user in", async () => {
    const fresh = await (await browser.newContext(desktop)).newPage();
    await fresh.goto(resetUrl);
    await fresh.getByRole("heading", { name: "Set a new password" }).waitFor();
    await screenshot(fresh, "reset-light");
    await fresh.getByLabel(/New password/).fill("nia-password-3");
    await fresh.getByRole("button", { name: "Set password and sign in" }).click();
    await fresh.waitForURL(`${app.url}/`);
    await fresh.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await fresh.goto(resetUrl);
    await fresh.getByText("This link has already been used.").waitFor();
  });

  async function createInviteLink(): Promise<string> {
    await page.goto(`${app.url}/admin/users`);
    await page.getByTestId("invite-form").getByRole("button", { name: "Create invite link" }).click();
    const link = page.getByTestId("one-time-link");
    await link.waitFor();
    return link.inputValue();
  }
});
