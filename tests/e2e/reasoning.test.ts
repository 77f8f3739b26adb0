import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

const R1 = "phala/deepseek-r1-70b";

/** The Thinking block of a reasoning model's reply, and the title model naming a new chat in the sidebar. */
describe("reasoning and automatic titles in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    await setUpAdmin(app);
    browser = await launchBrowser();
    page = await (await browser.newContext(desktop)).newPage();
    await signInWithPassword(page, app.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows the model thinking, then folds it away under 'Thought for N s'; the title model names the chat", async () => {
    await page.goto(`${app.url}/admin/settings`);
    await page.getByTestId("title-model-picker").click();
    await page.getByLabel("Find a model").fill("llama 3.3 70b");
    await page.getByTestId("model-option-meta-llama/llama-3.3-70b-instruct").click();
    await page.getByText("Title model saved.").first().waitFor();
    await screenshot(page, "admin-title-model-light");

    await page.goto(`${app.url}/`);
    await page.getByTestId("model-picker").click();
    await page.getByTestId(`model-option-${R1}`).click();
    await page.getByTestId("chat-input").fill("Why do leaves change colour? [[fake:slow 150]]");
    await page.getByTestId("chat-input").press("Enter");

    // While the model thinks, the block is open and says so.
    const block = page.getByTestId("reasoning");
    const toggle = page.getByTestId("reasoning-toggle");
    await expect.poll(() => block.getAttribute("data-thinking"), { timeout: 20_000 }).toBe("true");
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => toggle.textContent()).toContain("Thinking…");
    await expect.poll(() => page.getByTestId("reasoning-content").textContent()).toContain("The user wrote");
    await screenshot(page, "reasoning-thinking-light");

    // Once the answer begins it folds away; the answer follows it.
    const reply = page.getByTestId("message-assistant").first();
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 30_000 }).toBe("ok");
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await toggle.textContent()).toMatch(/Thought for (\d+ s|less than a second)/);
    await expect.poll(() => page.getByTestId("reasoning-content").isVisible()).toBe(false);
    expect(await reply.textContent()).toContain("Echo: Why do leaves change colour?");

    // The title model's title reaches the sidebar without a reload.
    const list = page.getByTestId("chat-list");
    await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain("Why Do Leaves Change Colour");
    await screenshot(page, "reasoning-titled-light");

    // A click opens it, the keyboard closes it (after the page refreshes that brought the title).
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("true");
    expect(await page.getByTestId("reasoning-content").textContent()).toContain("The user wrote");
    await screenshot(page, "reasoning-open-light");
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => toggle.getAttribute("aria-expanded")).toBe("false");

    // After a reload the thinking is still there, folded.
    await page.reload();
    await expect.poll(() => page.getByTestId("reasoning-toggle").textContent()).toMatch(/Thought for/);
    expect(await page.getByTestId("reasoning-toggle").getAttribute("aria-expanded")).toBe("false");
  });
});
