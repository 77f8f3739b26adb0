import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { completeSetupForm, contentSecurityPolicyViolations, desktop, launchBrowser, phone, screenshot } from "../support/browser";
import { TEST_REDPILL_KEY } from "../support/constants";
import { ADMIN } from "../support/fixtures";

/**
 * The new user's path in a real browser against a production build: first-run setup, sign in,
 * a streamed reply, reload, Stop, an upstream error, the admin usage table, a member kept out.
 */
describe("Pillbox in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const bodies: string[] = [];
  const reads: Promise<void>[] = [];

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded", fakeOptions: { chunkDelayMs: 40 } });
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    // Every response the browser sees is kept for the key-custody check; reading is async, so the
    // reads are collected and awaited before the browser closes.
    context.on("response", (response) =>
      reads.push(
        (async () => {
          bodies.push(JSON.stringify(await response.allHeaders().catch(() => response.headers())));
          const type = response.headers()["content-type"] ?? "";
          if (/json|html|javascript|event-stream|text/.test(type)) bodies.push(await response.text().catch(() => ""));
        })(),
      ),
    );
    page = await context.newPage();
  });

  afterAll(async () => {
    await Promise.all(reads);
    await browser?.close();
    await app?.stop();
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies.join("\n")).not.toContain(TEST_REDPILL_KEY);
    expect(app.output()).not.toContain(TEST_REDPILL_KEY);
  });

  const assistant = () => page.getByTestId("message-assistant").last();

  it("sends a new user from / through sign-in to first-run setup", async () => {
    await page.goto(app.url);
    await page.waitForURL(/\/setup$/);
    await screenshot(page, "setup-light");
    await completeSetupForm(page, app.url, ADMIN);
    await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await screenshot(page, "chat-empty-light");
  });

  it("streams a reply token by token and keeps the chat across a reload", async () => {
    await page.getByTestId("model-picker").click();
    await page.getByRole("option", { name: /Claude Sonnet 4\.5/ }).click();
    // Record every text the reply shows while it grows (a MutationObserver, so no polling races).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { replyTexts: string[] }).replyTexts = seen;
      new MutationObserver(() => {
        const all = document.querySelectorAll('[data-testid="message-assistant"]');
        const text = all[all.length - 1]?.textContent ?? "";
        if (text && text !== seen[seen.length - 1]) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId("chat-input").fill("What is a TEE?");
    await page.getByTestId("chat-input").press("Enter");
    await page.getByTestId("message-user").getByText("What is a TEE?").waitFor();
    await page.getByTestId("send").waitFor(); // the Stop button turns back into Send when the reply ends

    const final = (await assistant().textContent()) ?? "";
    expect(final).toContain("What is a TEE?");
    // The reply appeared piece by piece: several growing prefixes of it were on screen.
    const texts = await page.evaluate(() => (window as unknown as { replyTexts: string[] }).replyTexts);
    const prefixes = texts.filter((t) => t.length < final.length && final.startsWith(t));
    expect(prefixes.length).toBeGreaterThanOrEqual(3);

    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await screenshot(page, "chat-light");
    await page.reload();
    await expect(page.getByTestId("message-user").first().textContent()).resolves.toBe("What is a TEE?");
    await expect(assistant().textContent()).resolves.toBe(final);
    await expect(page.getByTestId("chat-list").getByText("What is a TEE?").isVisible()).resolves.toBe(true);
  });

  it("Stop keeps the partial reply, aborts the upstream call and survives a reload", async () => {
    app.fake!.reset();
    await page.getByTestId("chat-input").fill("Please be slow [[fake:slow 250]]");
    await page.getByTestId("chat-input").press("Enter");
    await page.waitForFunction(() => {
      const all = document.querySelectorAll('[data-testid="message-assistant"]');
      return (all[all.length - 1]?.textContent ?? "").length > 8;
    });
    await page.getByTestId("stop").click();
    const upstream = await app.fake!.waitFor((r) => r.path === "/v1/chat/completions" && r.clientClosed, 10_000);
    expect(upstream.completed).toBe(false);
    await page.reload();
    await page.getByTestId("chat-stopped").waitFor();
    expect(((await assistant().textContent()) ?? "").length).toBeGreaterThan(8);
  });

  it("shows a clear message, not a blank bubble, when RedPill fails", async () => {
    await page.getByTestId("chat-input").fill("Trigger a limit [[fake:error 429]]");
    await page.getByTestId("chat-input").press("Enter");
    const alert = page.getByTestId("chat-error").last();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/rate limiting/);
    await page.reload();
    await page.getByTestId("chat-error").last().waitFor();
  });

  it("retries a failed reply in place", async () => {
    app.fake!.enqueue({ type: "error", status: 503 });
    await page.getByTestId("chat-input").fill("Hello again");
    await page.getByTestId("chat-input").press("Enter");
    const alert = page.getByTestId("chat-error").filter({ hasText: "RedPill had a problem (503)" });
    await alert.waitFor();
    await alert.getByTestId("retry").click();
    await page.getByText("Echo: Hello again").waitFor();
    await page.getByTestId("send").waitFor();
    await page.reload();
    await page.getByText("Echo: Hello again").waitFor();
    expect(await page.getByText(/503/).count()).toBe(0);
  });

  it("finds, renames and deletes chats from the sidebar", async () => {
    await page.getByTestId("new-chat").click();
    await page.waitForURL(`${app.url}/`);
    await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await page.getByTestId("chat-input").fill("Second chat about gardening");
    await page.getByTestId("chat-input").press("Enter");
    await page.getByTestId("send").waitFor();
    const list = page.getByTestId("chat-list");
    await list.getByText("Second chat about gardening").waitFor();

    await page.getByTestId("search-chats").click();
    await page.getByLabel("Search your chats").fill("garden");
    await page.getByTestId("search-result").filter({ hasText: "Second chat about gardening" }).waitFor();
    await expect(page.getByTestId("search-result").count()).resolves.toBe(1);
    await page.keyboard.press("Escape");
    await expect(list.locator("li").count()).resolves.toBe(2);

    await page.getByRole("button", { name: "Actions for Second chat about gardening" }).click();
    await page.getByRole("menuitem", { name: "Rename" }).click();
    await page.getByLabel("Chat title").fill("Gardening");
    await page.getByLabel("Chat title").press("Enter");
    await list.getByText("Gardening", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Actions for Gardening" }).click();
    await page.getByRole("menuitem", { name: "Delete" }).click();
    // Gone at once, with a moment to undo (tests/e2e/history.test.ts covers Undo).
    await page.getByText("Deleted “Gardening”").waitFor();
    await screenshot(page, "delete-chat-light");
    await page.waitForURL(`${app.url}/`);
    await expect(list.locator("li").count()).resolves.toBe(1);
    await page.getByTestId("chat-list").locator("a").first().click();
    await page.waitForURL(/\/chat\//);
  });

  it("shows every call in the admin usage table", async () => {
    await page.goto(`${app.url}/admin/usage`);
    const rows = page.getByTestId("usage-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(6);
    const statuses = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-status")));
    expect(statuses).toEqual(["ok", "ok", "error", "error", "aborted", "ok"]);
    const okRow = (await rows.last().textContent()) ?? "";
    expect(okRow).toContain("anthropic/claude-sonnet-4.5");
    expect(okRow).toContain(ADMIN.name);
    expect(okRow).toMatch(/\$0\.\d+/);
    await screenshot(page, "admin-usage-light");
  });

  it("looks right in dark mode and at phone width", async () => {
    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/admin/usage`);
    await screenshot(darkPage, "admin-usage-dark");
    await darkPage.goto(app.url);
    await darkPage.getByTestId("chat-list").locator("a").first().click();
    await darkPage.getByTestId("message-assistant").first().waitFor();
    await screenshot(darkPage, "chat-dark");
    await dark.close();

    const mobile = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const mobilePage = await mobile.newPage();
    await mobilePage.goto(app.url);
    await mobilePage.getByTestId("chat-input").waitFor();
    await screenshot(mobilePage, "chat-phone-empty");
    await mobilePage.getByRole("button", { name: "Open menu" }).click();
    await mobilePage.getByRole("dialog").getByText("What is a TEE?").click();
    await mobilePage.getByTestId("message-assistant").first().waitFor();
    await screenshot(mobilePage, "chat-phone");
    await mobile.close();
  });

  it("keeps a member out of admin pages with a 403, and signs them out", async () => {
    await page.goto(`${app.url}/admin/users`);
    await page.getByLabel("Name").fill("Bob");
    await page.getByLabel("Email").fill("bob@example.com");
    await page.getByLabel(/Password/).fill("bob-password-1");
    await page.getByRole("button", { name: "Add user" }).click();
    await page.getByText("Created bob@example.com").waitFor();
    await expect(page.getByTestId("user-row").count()).resolves.toBe(2);
    await screenshot(page, "admin-users-light");

    const memberContext = await browser.newContext(desktop);
    const member = await memberContext.newPage();
    await member.goto(`${app.url}/signin`);
    await screenshot(member, "signin-light");
    await member.getByLabel("Email").fill("bob@example.com");
    await member.getByLabel("Password").fill("wrong-password");
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.getByRole("alert").getByText("Wrong email or password.").waitFor();
    expect(await member.getByLabel("Email").inputValue()).toBe("bob@example.com");
    await member.getByLabel("Password").fill("bob-password-1");
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.waitForURL(`${app.url}/`);
    expect(await member.getByRole("link", { name: "Admin" }).count()).toBe(0);
    const response = await member.goto(`${app.url}/admin/usage`);
    expect(response?.status()).toBe(403);
    await member.getByText("Admins only").waitFor();

    await member.goto(app.url);
    await member.getByRole("button", { name: "Sign out" }).click();
    await member.waitForURL(/\/signin/);
    await member.goto(`${app.url}/`);
    await member.waitForURL(/\/signin/);

    // Disabled by an admin: Bob can no longer sign in.
    await page.goto(`${app.url}/admin/users`);
    await page.getByRole("button", { name: "Disable bob@example.com" }).click();
    await page.getByRole("button", { name: "Enable bob@example.com" }).waitFor();
    await member.getByLabel("Email").fill("bob@example.com");
    await member.getByLabel("Password").fill("bob-password-1");
    await member.getByRole("button", { name: "Sign in" }).click();
    await member.getByRole("alert").getByText("Wrong email or password.").waitFor();
    await memberContext.close();
  });
});

describe("demo mode (no REDPILL_API_KEY)", () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    // Like a fresh `npm start`: no key and no AUTH_SECRET (generated and stored on first start).
    app = await startAppServer({ database: "embedded", demo: true, authSecret: null });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the demo banner and answers with simulated replies", async () => {
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(app.url);
    await page.waitForURL(/\/setup$/);
    const banner = page.getByTestId("demo-banner");
    expect(await banner.textContent()).toBe("Demo mode — replies are simulated. Set REDPILL_API_KEY to use RedPill.");
    await completeSetupForm(page, app.url, { name: "Demo Admin", email: "demo@example.com", password: "demo-password" });
    await page.getByTestId("chat-input").fill("Hello demo");
    await page.getByTestId("chat-input").press("Enter");
    await page.getByTestId("send").waitFor();
    const reply = (await page.getByTestId("message-assistant").last().textContent()) ?? "";
    expect(reply).toMatch(/simulated/i);
    await screenshot(page, "demo-chat-light");
    await context.close();
  });
});

it("saw no Content-Security-Policy violations in the browser", () => {
  expect(contentSecurityPolicyViolations()).toEqual([]);
});
