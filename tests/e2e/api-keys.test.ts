import OpenAI from "openai";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiFor } from "../support/api-keys";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

/**
 * A member creates a personal API key in the browser, uses it from the `openai` SDK, sees its last
 * use and revokes it; an admin sees it in Admin → API keys.
 */
describe("personal API keys in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secret: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    await setUpAdmin(app);
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    page = await context.newPage();
    await signInWithPassword(page, app.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("creates a key from Settings, shows its secret once, and the key works with the openai SDK", async () => {
    await page.goto(`${app.url}/settings`);
    await page.getByRole("link", { name: "Manage API keys" }).click();
    await page.getByRole("heading", { name: "API keys" }).waitFor();
    expect(await page.getByTestId("api-base-url").textContent()).toBe(`${app.url}/api/v1`);
    await page.getByLabel("Name").fill("Laptop editor");
    await page.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByTestId("new-key-secret");
    await shown.waitFor();
    secret = await shown.inputValue();
    expect(secret).toMatch(/^pb_[A-Za-z0-9_-]{43}$/);
    await page.getByTestId("api-key").filter({ hasText: "Laptop editor" }).waitFor();
    await screenshot(page, "api-keys-new-secret-light");

    const client = openaiFor(app, secret);
    const reply = await client.chat.completions.create({ model: "anthropic/claude-sonnet-4.5", messages: [{ role: "user", content: "from my editor" }] });
    expect(reply.choices[0]!.message.content).toBe("Echo: from my editor");

    // Reloaded: the secret is gone for good, the key shows its prefix and its last use.
    await page.reload();
    await page.getByTestId("api-key").filter({ hasText: "Laptop editor" }).waitFor();
    expect(await page.getByTestId("new-key").count()).toBe(0);
    const row = page.getByTestId("api-key").filter({ hasText: "Laptop editor" });
    expect(await row.textContent()).toContain(`${secret.slice(0, 11)}…`);
    expect(await row.textContent()).not.toContain(secret);
    expect(await row.textContent()).toMatch(/last used \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await screenshot(page, "api-keys-light");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "api-keys-dark");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("lists the key for admins, with a link to its usage", async () => {
    await page.goto(`${app.url}/admin/keys`);
    const row = page.getByTestId("admin-key").filter({ hasText: "Laptop editor" });
    await row.waitFor();
    expect(await row.textContent()).toContain(ADMIN.email);
    expect(await row.textContent()).toContain("active");
    await screenshot(page, "admin-api-keys-light");
    await row.getByRole("link", { name: "Usage" }).click();
    await page.waitForURL(/\/admin\/usage\?apiKeyId=/);
    await page.getByTestId("usage-filters").waitFor();
    expect(await page.locator('select[name="apiKeyId"]').inputValue()).not.toBe("");
  });

  it("revokes the key, which the SDK then finds refused", async () => {
    await page.goto(`${app.url}/settings/keys`);
    await page.getByRole("button", { name: "Revoke Laptop editor" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
    await page.getByText("You have no API keys yet.").waitFor();
    const error = await openaiFor(app, secret).models.list().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("fits a phone", async () => {
    const phoneContext = await browser.newContext(phone);
    const small = await phoneContext.newPage();
    await signInWithPassword(small, app.url, ADMIN);
    await small.goto(`${app.url}/settings/keys`);
    await small.getByLabel("Name").fill("Phone key");
    await small.getByRole("button", { name: "Create key" }).click();
    await small.getByTestId("new-key-secret").waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(small, "api-keys-phone");
    await phoneContext.close();
  });
});
