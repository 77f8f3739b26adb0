import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

const MEMBER = { email: "mia@example.com", name: "Mia", password: "mia-password-1" };

/** Admin → Models and the member's model picker against a 250-model catalog. */
describe("models at scale in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let disabled: string[] = [];

  const signIn = async (context: BrowserContext, who: { email: string; password: string }) =>
    signInWithPassword(await context.newPage(), app.url, who);

  const rows = () => page.locator('[data-testid^="model-row-"]');
  const rowIds = () => rows().evaluateAll((els) => els.map((el) => el.getAttribute("data-testid")!.slice("model-row-".length)));

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded", fakeOptions: { catalogSize: 250 } });
    const admin = await setUpAdmin(app);
    expect((await admin.postJson("/api/admin/users", MEMBER)).status).toBe(201);
    browser = await launchBrowser();
    adminContext = await browser.newContext(desktop);
    page = await signIn(adminContext, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("searches and filters the catalog", async () => {
    await page.goto(`${app.url}/admin/models`);
    await expect.poll(() => rows().count()).toBe(250);
    await page.getByTestId("models-summary").getByText("Showing 250 of 250 models · 250 enabled").waitFor();
    await screenshot(page, "admin-models-light");

    await page.getByLabel("Search models").fill("claude sonnet");
    await expect.poll(async () => (await rowIds()).length).toBeGreaterThan(1);
    for (const id of await rowIds()) expect(id).toMatch(/^anthropic\/claude.*sonnet/);
    await page.getByLabel("Search models").fill("");

    await page.getByLabel("Provider", { exact: true }).click();
    await page.getByRole("option", { name: /^Phala/ }).click();
    await expect.poll(async () => (await rowIds()).every((id) => id.startsWith("phala/"))).toBe(true);
    expect(await rows().count()).toBeGreaterThan(5);
    await page.getByLabel("Input", { exact: true }).click();
    await page.getByRole("option", { name: "Image input" }).click();
    await expect.poll(async () => (await rowIds()).sort()).toContain("phala/qwen2.5-vl-72b-instruct");
    expect(await rowIds()).not.toContain("phala/deepseek-chat-v3-0324");
    await page.getByLabel("Provider", { exact: true }).click();
    await page.getByRole("option", { name: "All providers" }).click();
    await page.getByLabel("Input", { exact: true }).click();
    await page.getByRole("option", { name: "Any input" }).click();

    await page.getByRole("button", { name: "TEE only" }).click();
    await expect.poll(() => rows().count()).toBeLessThan(250);
    const teeRows = await rows().count();
    expect(await page.locator('[data-testid^="model-row-"]', { hasText: "TEE" }).count()).toBe(teeRows);
    await page.getByRole("button", { name: "TEE only" }).click();
    await expect.poll(() => rows().count()).toBe(250);
  });

  it("disables the shown models in bulk and renames one", async () => {
    await page.getByLabel("Search models").fill("gemini");
    await expect.poll(async () => (await rowIds()).every((id) => id.includes("gemini"))).toBe(true);
    const gemini = await rowIds();
    expect(gemini).toContain("google/gemini-2.5-flash");
    await page.getByLabel("Select all shown models").click();
    await page.getByText(`${gemini.length} selected`).waitFor();
    await page.getByRole("button", { name: `Disable ${gemini.length}` }).click();
    await page.getByText(`${gemini.length} models disabled.`).waitFor();
    disabled = gemini;
    await page.getByLabel("Search models").fill("");
    await page.getByLabel("Status", { exact: true }).click();
    await page.getByRole("option", { name: "Disabled" }).click();
    await expect.poll(async () => (await rowIds()).sort()).toEqual([...gemini].sort());
    await page.getByLabel("Status", { exact: true }).click();
    await page.getByRole("option", { name: "Any status" }).click();

    await page.getByRole("button", { name: "Rename openai/gpt-5", exact: true }).click();
    await page.getByLabel("Display name for openai/gpt-5").fill("Company GPT");
    await page.getByLabel("Display name for openai/gpt-5").press("Enter");
    await page.getByTestId("model-row-openai/gpt-5").getByText("Company GPT").waitFor();

    // New chats start with the workspace default when nobody picked a model yet.
    await page.getByTestId("default-model-picker").click();
    await page.getByLabel("Find a model").fill("llama 3.3 70b");
    await page.getByTestId("model-option-meta-llama/llama-3.3-70b-instruct").click();
    await page.getByText("Settings saved.").first().waitFor();
    await page.getByRole("switch", { name: "Enable new models automatically" }).waitFor();
    await screenshot(page, "admin-models-bulk-light");

    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await adminContext.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/admin/models`);
    await darkPage.getByTestId("model-row-openai/gpt-5").waitFor();
    await screenshot(darkPage, "admin-models-dark");
    await dark.close();

    const mobile = await browser.newContext({ ...phone, storageState: await adminContext.storageState() });
    const mobilePage = await mobile.newPage();
    await mobilePage.goto(`${app.url}/admin/models`);
    await mobilePage.getByTestId("model-row-openai/gpt-5").waitFor();
    await screenshot(mobilePage, "admin-models-phone");
    await mobile.close();
  });

  it("gives a member a searchable picker of the models they may use", async () => {
    const memberContext = await browser.newContext(desktop);
    const member = await signIn(memberContext, MEMBER);
    // The workspace default applies to a member who never picked a model.
    await expect.poll(() => member.getByTestId("model-picker").textContent()).toContain("Llama 3.3 70B");
    await member.getByTestId("model-picker").click();
    const options = member.locator('[data-testid^="model-option-"]');
    await expect.poll(() => options.count()).toBe(250 - disabled.length); // the Gemini models are off
    expect(await member.getByTestId("model-option-google/gemini-2.5-flash").count()).toBe(0);
    await member.getByText("Company GPT").waitFor();
    await screenshot(member, "model-picker-light");

    await member.getByLabel("Find a model").fill("qwen coder");
    await expect.poll(() => options.count()).toBeLessThan(20);
    const found = await options.evaluateAll((els) => els.map((el) => el.getAttribute("data-testid")));
    expect(found.length).toBeGreaterThan(0);
    for (const id of found) expect(id).toMatch(/qwen/);
    await screenshot(member, "model-picker-search-light");
    await member.getByTestId("model-option-qwen/qwen3-coder").click();
    await expect.poll(() => member.getByTestId("model-picker").textContent()).toContain("Qwen3 Coder");
    await memberContext.close();

    const dark = await browser.newContext({ ...desktop, colorScheme: "dark" });
    const darkMember = await signIn(dark, MEMBER);
    await darkMember.getByTestId("model-picker").click();
    await darkMember.getByLabel("Find a model").fill("tee");
    await expect.poll(() => darkMember.locator('[data-testid^="model-option-phala/"]').count()).toBeGreaterThan(3);
    await screenshot(darkMember, "model-picker-dark");
    await dark.close();

    const mobile = await browser.newContext(phone);
    const mobileMember = await signIn(mobile, MEMBER);
    await mobileMember.getByTestId("model-picker").click();
    await mobileMember.locator('[data-testid^="model-option-"]').first().waitFor();
    await screenshot(mobileMember, "model-picker-phone");
    await mobile.close();
  });
});
