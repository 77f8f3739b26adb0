import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import type { Session } from "../support/session";

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

describe("accessibility and keyboard", () => {
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
});
