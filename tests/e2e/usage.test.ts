/**
 * The usage dashboard in a real browser: totals, the daily chart, sortable breakdowns, drill-down,
 * "Older →" pages, the time zone form, and a member's own /usage. Screenshots (light, dark, phone)
 * land in test-results/screenshots.
 */
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";

const pgSkip = await postgresReachable();
const EVERYONE = "00000000-0000-4000-8000-000000000001";
const tall = { ...desktop, viewport: { width: 1280, height: 2200 } };

/** Spread rows over the last 20 days for both users (inserted directly: one chat per row would be slow). */
async function seedRows(databaseUrl: string, userIds: string[]) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `INSERT INTO "UsageRecord" ("id", "userId", "groupIds", "modelId", "promptTokens", "completionTokens",
       "promptPrice", "completionPrice", "costUsd", "ttftMs", "durationMs", "status", "errorCode", "createdAt")
     SELECT gen_random_uuid(), ($1::uuid[])[1 + i % 2], ARRAY[$2::uuid],
            (ARRAY['anthropic/claude-sonnet-4.5', 'openai/gpt-5', 'meta-llama/llama-3.3-70b-instruct'])[1 + i % 3],
            200 + (i * 37) % 1500, 50 + (i * 53) % 700, 0.000003, 0.000015,
            round((200 + (i * 37) % 1500) * 0.000003 + (50 + (i * 53) % 700) * 0.000015, 10),
            150 + (i * 97) % 900, 2000 + (i * 131) % 5000,
            (CASE WHEN i % 17 = 0 THEN 'error' WHEN i % 23 = 0 THEN 'aborted' ELSE 'ok' END)::"UsageStatus",
            CASE WHEN i % 17 = 0 THEN 'upstream_500' END,
            (now() AT TIME ZONE 'UTC') - make_interval(hours => 1 + (i * 7) % (20 * 24))
     FROM generate_series(1, 140) AS i`,
    [userIds, EVERYONE],
  );
  await client.end();
}

describe.skipIf(pgSkip !== null)("usage dashboard in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let memberId: string;

  const signIn = async (context: BrowserContext, email: string, password: string) =>
    signInWithPassword(await context.newPage(), app.url, { email, password });

  beforeAll(async () => {
    app = await startAppServer({ database: "postgres" });
    const admin = await setUpAdmin(app);
    const created = await admin.postJson("/api/admin/users", { email: "bob@example.com", name: "Bob Member", password: "bob-password-1" });
    memberId = ((await created.json()) as { user: { id: string } }).user.id;
    const adminId = ((await (await admin.fetch("/api/admin/users")).json()) as { users: { id: string; email: string }[] }).users.find(
      (u) => u.email === ADMIN.email,
    )!.id;
    await seedRows(app.databaseUrl!, [adminId, memberId]);
    browser = await launchBrowser();
    adminContext = await browser.newContext(tall);
    page = await signIn(adminContext, ADMIN.email, ADMIN.password);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("shows totals, the daily chart and breakdowns for the last 30 days", async () => {
    await page.goto(`${app.url}/admin/usage`);
    await page.getByTestId("usage-chart").locator(".recharts-surface").first().waitFor();
    expect(await page.getByTestId("usage-chart").locator(".recharts-bar-rectangle").count()).toBeGreaterThan(5);
    await expect(page.getByTestId("total-requests").textContent()).resolves.toContain("140");
    expect(await page.getByTestId("usage-by-user").getByTestId("breakdown-row").count()).toBe(2);
    expect(await page.getByTestId("usage-by-model").getByTestId("breakdown-row").count()).toBe(3);
    expect(await page.getByTestId("usage-row").count()).toBe(50);
    await screenshot(page, "usage-dashboard-light");
  });

  it("sorts a breakdown by a column", async () => {
    const rows = page.getByTestId("usage-by-model").getByTestId("breakdown-row");
    const names = () => rows.evaluateAll((els) => els.map((el) => el.querySelector("td")?.textContent ?? ""));
    await page.getByTestId("usage-by-model").getByRole("button", { name: "Name" }).click();
    const ascending = await names();
    expect(ascending).toEqual([...ascending].sort());
    await page.getByTestId("usage-by-model").getByRole("button", { name: "Name" }).click();
    expect(await names()).toEqual([...ascending].reverse());
  });

  it("drills down from a user to their rows and pages through them", async () => {
    await page.getByTestId("usage-by-user").getByRole("link", { name: /Bob Member/ }).click();
    await page.waitForURL(new RegExp(`userId=${memberId}`));
    await expect(page.getByTestId("total-requests").textContent()).resolves.toContain("70");
    const first = await page.getByTestId("usage-row").first().textContent();
    expect(await page.getByTestId("usage-row").count()).toBe(50);
    expect(await page.getByTestId("usage-export").getAttribute("href")).toContain(`userId=${memberId}`);
    await page.getByTestId("usage-older").click();
    await page.waitForURL(/cursor=/);
    expect(await page.getByTestId("usage-row").count()).toBe(20);
    expect(await page.getByTestId("usage-row").first().textContent()).not.toBe(first);
    expect(await page.getByTestId("usage-older").count()).toBe(0);
  });

  it("looks right in dark mode and at phone width", async () => {
    const dark = await browser.newContext({ ...tall, colorScheme: "dark", storageState: await adminContext.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/admin/usage`);
    await darkPage.getByTestId("usage-chart").locator(".recharts-surface").first().waitFor();
    await screenshot(darkPage, "usage-dashboard-dark");
    await dark.close();
    const mobile = await browser.newContext({ ...phone, storageState: await adminContext.storageState() });
    const mobilePage = await mobile.newPage();
    await mobilePage.goto(`${app.url}/admin/usage`);
    await mobilePage.getByTestId("usage-chart").locator(".recharts-surface").first().waitFor();
    await screenshot(mobilePage, "usage-dashboard-phone");
    await mobile.close();
  });

  it("shows a member only their own usage at /usage", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ ...desktop, colorScheme, viewport: { width: 1280, height: 1300 } });
      const member = await signIn(context, "bob@example.com", "bob-password-1");
      await member.getByTestId("my-usage").click();
      await member.waitForURL(`${app.url}/usage`);
      await member.getByTestId("usage-chart").locator(".recharts-surface").first().waitFor();
      await expect(member.getByTestId("total-requests").textContent()).resolves.toContain("70");
      expect(await member.getByText(ADMIN.email).count()).toBe(0);
      await member.getByText("No budget applies to you.").waitFor();
      await screenshot(member, `my-usage-${colorScheme}`);
      await context.close();
    }
  });

  it("changes the workspace time zone from the dashboard", async () => {
    await page.goto(`${app.url}/admin/usage`);
    await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await page.getByTestId("usage-time-zone").getByRole("button", { name: "Save" }).click();
    await page.getByText(/by calendar day in Asia\/Tokyo/).waitFor();
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Asia/Tokyo");
  });
});
