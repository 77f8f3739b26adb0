import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

const MEMBER = { email: "mia@example.com", name: "Mia Member", password: "mia-password-1" };

async function ask(page: Page, text: string): Promise<void> {
  await page.getByPlaceholder(/message/i).fill(text);
  await page.keyboard.press("Enter");
}

/** An admin sets a tiny budget in the browser; the member runs into it and reads why in the chat. */
describe("budgets in the browser", () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    const admin = await setUpAdmin(app);
    expect((await admin.postJson("/api/admin/users", { ...MEMBER, role: "MEMBER" })).status).toBe(201);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("an admin sets a tiny daily budget and the member runs into it", async () => {
    const adminContext = await browser.newContext(desktop);
    const adminPage = await adminContext.newPage();
    await signInWithPassword(adminPage, app.url, ADMIN);
    await adminPage.goto(`${app.url}/admin/budgets`);
    await adminPage.getByLabel("Applies to").selectOption("user");
    await adminPage.getByLabel("Person").selectOption({ label: `${MEMBER.name} (${MEMBER.email})` });
    await adminPage.getByLabel("Limit (USD)").fill("0.000001");
    await adminPage.getByLabel("Per", { exact: true }).selectOption("day");
    await adminPage.getByRole("button", { name: "Add budget" }).click();
    await adminPage.getByTestId("budget-row").filter({ hasText: MEMBER.email }).waitFor();
    await screenshot(adminPage, "admin-budgets-light");

    const memberContext = await browser.newContext(desktop);
    const page = await memberContext.newPage();
    await signInWithPassword(page, app.url, MEMBER);
    // The budget has room for the first call; its real cost then uses the budget up.
    await ask(page, "Tell me something short");
    await page.getByTestId("message-assistant").first().waitFor();
    await expect.poll(async () => page.getByTestId("message-assistant").first().getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    await page.getByTestId("budget-notice").first().waitFor();
    // The finished reply refreshes the page (the chat joins the sidebar); type after that.
    await page.getByTestId("chat-list").getByText("Tell me something short").waitFor();
    await page.waitForLoadState("networkidle");

    await ask(page, "And one more thing");
    await page.getByTestId("message-user").nth(1).waitFor();
    const refusal = page.getByTestId("chat-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/You have reached your daily budget .* It resets/);
    await screenshot(page, "chat-budget-reached-light");

    // The admin sees the day's spend against the budget.
    await adminPage.reload();
    const row = adminPage.getByTestId("budget-row").filter({ hasText: MEMBER.email });
    expect(await row.textContent()).toMatch(/100%/);

    // …and on the member's own page: the budget that binds them, its spend, and their rate limits.
    await adminPage.goto(`${app.url}/admin/users`);
    await adminPage.getByRole("link", { name: MEMBER.name }).click();
    await adminPage.getByRole("heading", { name: MEMBER.name }).waitFor();
    expect(await adminPage.getByTestId("usage-budget").first().textContent()).toMatch(/Personal\$0\.00 left of/);
    expect(await adminPage.getByTestId("budget-row").count()).toBe(1);
    expect(await adminPage.getByTestId("total-requests-this-month").textContent()).toMatch(/Requests this month1\b/);
    await adminPage.getByLabel("Requests / minute").fill("5");
    await adminPage.getByRole("button", { name: "Save limits" }).click();
    await adminPage.getByText(/In force: 5 requests a minute, unlimited tokens/).waitFor();
    await screenshot(adminPage, "admin-user-page-light");
    await adminContext.close();
    await memberContext.close();
  });
});
