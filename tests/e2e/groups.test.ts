import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

const BOB = { email: "bob@example.com", name: "Bob Member", password: "bob-password-1" };
const ALLOWED = "openai/gpt-5-mini";

/**
 * An admin restricts models with groups in the browser, and a member of the group sees exactly
 * what it allows in the model picker.
 */
describe("groups and the audit log in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let researchUrl: string;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    const admin = await setUpAdmin(app);
    const created = await admin.postJson("/api/admin/users", { ...BOB, role: "MEMBER" });
    expect(created.status).toBe(201);
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    page = await context.newPage();
    await signInWithPassword(page, app.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("creates Research allowing one model and adds a member", async () => {
    await page.goto(`${app.url}/admin/groups`);
    await page.getByTestId("group-row").filter({ hasText: "Everyone" }).getByText("built-in").waitFor();
    await page.getByLabel("New group").fill("Research");
    await page.getByRole("button", { name: "Create group" }).click();
    await page.waitForURL(/\/admin\/groups\/[0-9a-f-]{36}$/);
    researchUrl = page.url();
    await page.getByRole("heading", { name: "Research" }).waitFor();

    await page.getByLabel("Only these models").click();
    await page.getByLabel("Search models").fill("mini");
    await page.getByTestId(`group-model-${ALLOWED}`).click();
    await page.getByLabel("Search models").fill("");
    await page.getByTestId(`group-model-${ALLOWED}`).scrollIntoViewIfNeeded();
    await screenshot(page, "admin-group-models-light");
    await page.getByTestId("save-group-models").click();
    await page.getByText("Saved the models of Research.").waitFor();
    await page.getByTestId("group-models-summary").getByText("1 model", { exact: true }).waitFor();

    await page.getByTestId("member-picker").click();
    await page.getByTestId(`member-option-${BOB.email}`).click();
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByTestId("group-member").getByText(BOB.email).waitFor();
  });

  it("restricts Everyone to no models", async () => {
    await page.goto(`${app.url}/admin/groups`);
    await page.getByRole("link", { name: "Everyone" }).click();
    await page.getByRole("heading", { name: "Everyone" }).waitFor();
    expect(await page.getByRole("button", { name: "Delete group" }).count()).toBe(0);
    await page.getByLabel("Only these models").click();
    await page.getByTestId("save-group-models").click();
    await page.getByText("Saved the models of Everyone.").waitFor();
    await page.getByTestId("group-models-summary").getByText("0 models", { exact: true }).waitFor();

    await page.goto(`${app.url}/admin/groups`);
    const rows = page.getByTestId("group-row");
    expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-group")))).toEqual(["Everyone", "Research"]);
    expect(await rows.filter({ hasText: "Research" }).getByTestId("group-models-summary").textContent()).toBe("1 model");
    await screenshot(page, "admin-groups-light");
  });

  it("shows the member exactly the allowed model in the picker", async () => {
    const memberContext = await browser.newContext(desktop);
    const member = await memberContext.newPage();
    await signInWithPassword(member, app.url, BOB);
    await member.getByTestId("model-picker").click();
    const options = member.locator('[data-testid^="model-option-"]');
    await options.first().waitFor();
    const ids = await options.evaluateAll((els) => els.map((el) => el.getAttribute("data-testid")));
    expect(ids).toEqual([`model-option-${ALLOWED}`]);
    await memberContext.close();
  });

  it("lists every change in the audit log, with filters", async () => {
    await page.goto(`${app.url}/admin/audit`);
    const rows = page.getByTestId("audit-row");
    await rows.first().waitFor();
    const actions = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-action")));
    expect(actions.filter((action) => action?.startsWith("group."))).toEqual(["group.update", "group.member.add", "group.update", "group.create"]);
    expect(await rows.filter({ hasText: "group.member.add" }).textContent()).toContain(ADMIN.email);
    await screenshot(page, "admin-audit-light");
    expect(await page.getByRole("button", { name: /delete|edit/i }).count()).toBe(0);

    await page.getByLabel("Action").selectOption("group.member.add");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=group\.member\.add/);
    await expect(rows.count()).resolves.toBe(1);
    expect(await rows.first().textContent()).toContain(BOB.email);
  });

  it("looks right in dark mode and at phone width", async () => {
    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/admin/groups`);
    await darkPage.getByTestId("groups-table").waitFor();
    await screenshot(darkPage, "admin-groups-dark");
    await darkPage.goto(researchUrl);
    await darkPage.getByTestId(`group-model-${ALLOWED}`).scrollIntoViewIfNeeded();
    await screenshot(darkPage, "admin-group-models-dark");
    await darkPage.goto(`${app.url}/admin/audit`);
    await darkPage.getByTestId("audit-table").waitFor();
    await darkPage.getByTestId("audit-table").getByText("JSON").first().click();
    await screenshot(darkPage, "admin-audit-dark");
    await dark.close();

    const mobile = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const mobilePage = await mobile.newPage();
    await mobilePage.goto(`${app.url}/admin/groups`);
    await mobilePage.getByTestId("groups-table").waitFor();
    await screenshot(mobilePage, "admin-groups-phone");
    await mobilePage.goto(researchUrl);
    await mobilePage.getByTestId("model-checklist").waitFor();
    await screenshot(mobilePage, "admin-group-models-phone");
    await mobilePage.goto(`${app.url}/admin/audit`);
    await mobilePage.getByTestId("audit-list").waitFor();
    await screenshot(mobilePage, "admin-audit-phone");
    await mobile.close();
  });
});
