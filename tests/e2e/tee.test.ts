import fs from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVERYONE_GROUP_ID } from "@/lib/db/groups";
import { fakeSigner } from "@/lib/fake-redpill";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";

/**
 * Opens the n-th badge's panel on a freshly loaded page: a click that lands before React has
 * hydrated the badge does nothing, so it is clicked again (once a second) until the panel shows.
 */
async function openPanel(page: Page, n: number): Promise<void> {
  const panel = page.getByTestId("tee-panel");
  await expect
    .poll(
      async () => {
        if (!(await panel.isVisible())) await page.getByTestId("tee-badge").nth(n).click();
        return panel.isVisible();
      },
      { timeout: 30_000, interval: 1000 },
    )
    .toBe(true);
}

const TEE = "phala/deepseek-chat-v3-0324";

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).include("[data-testid=tee-panel]").analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact}): ${node.target.join(" ")} — ${node.failureSummary ?? v.help}`));
}

/** Demo mode (no RedPill key): its built-in RedPill signs TEE replies, so a new workspace shows them verified. */
describe("TEE verification in the browser (demo mode)", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let chatUrl = "";

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded", demo: true });
    await setUpAdmin(app);
    browser = await launchBrowser();
    context = await browser.newContext({ ...desktop, acceptDownloads: true });
    page = await context.newPage();
    await signInWithPassword(page, app.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function ask(text: string) {
    const before = await page.getByTestId("message-assistant").count();
    await page.getByTestId("chat-input").fill(text);
    await page.getByTestId("chat-input").press("Enter");
    const reply = page.getByTestId("message-assistant").nth(before);
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: 30_000 }).toBe("ok");
    return reply;
  }

  it("shows Verifying…, then Verified in enclave; the panel lists every check and downloads the evidence", async () => {
    await page.getByTestId("model-picker").click();
    await page.getByTestId(`model-option-${TEE}`).click();
    const reply = await ask("What does an enclave prove?");
    chatUrl = page.url();
    const badge = reply.getByTestId("tee-badge");
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 30_000 }).toBe("verified");
    expect(await badge.textContent()).toContain("Verified in enclave");

    await badge.click();
    const panel = page.getByTestId("tee-panel");
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId("tee-check").count()).toBeGreaterThan(10);
    const oks = await panel.getByTestId("tee-check").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-check"), r.getAttribute("data-ok")]));
    for (const [id, ok] of oks) expect(ok, id!).toBe(id === "intel_quote_verified" || id === "nvidia_gpu_verified" ? "null" : "true");
    expect(await panel.getByTestId("tee-signing-address").textContent()).toBe(fakeSigner(TEE).address.toLowerCase());
    expect(await panel.textContent()).toContain(TEE);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "tee-panel-verified-light");

    await panel.getByText("Attested manifest (app_compose)").click();
    expect(await panel.getByTestId("tee-manifest").textContent()).toContain("docker_compose_file");

    const [download] = await Promise.all([page.waitForEvent("download"), panel.getByTestId("tee-download").click()]);
    const evidence = JSON.parse(fs.readFileSync((await download.path())!, "utf8")) as Record<string, unknown>;
    expect(download.suggestedFilename()).toMatch(/^pillbox-evidence-chatcmpl-.+\.json$/);
    expect(evidence).toMatchObject({
      status: "verified",
      model: TEE,
      requestSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      responseSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      signature: { text: expect.stringContaining(TEE), signature: expect.stringMatching(/^0x/) },
      attestation: { nonce: expect.stringMatching(/^[0-9a-f]{64}$/), report: { intel_quote: expect.any(String) } },
    });
    await page.keyboard.press("Escape");
  });

  it("shows a tampered reply as Not verified, with the failing check", async () => {
    const reply = await ask("[[fake:tee bad-hash]] Was this reply tampered with?");
    const badge = reply.getByTestId("tee-badge");
    await expect.poll(() => badge.getAttribute("data-status"), { timeout: 30_000 }).toBe("failed");
    expect(await badge.textContent()).toContain("Not verified");
    await badge.click();
    const panel = page.getByTestId("tee-panel");
    await expect.poll(() => panel.locator("[data-check=response_hash]").getAttribute("data-ok")).toBe("false");
    expect(await panel.locator("[data-check=request_hash]").getAttribute("data-ok")).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "tee-panel-failed-light");
    await page.keyboard.press("Escape");
  });

  it("shows the stored verdicts after a reload, in dark mode and on a phone too", async () => {
    await page.goto(chatUrl);
    const badges = page.getByTestId("tee-badge");
    await expect.poll(() => badges.evaluateAll((all) => all.map((b) => b.getAttribute("data-status")))).toEqual(["verified", "failed"]);
    await screenshot(page, "tee-badges-light");

    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(chatUrl);
    await openPanel(darkPage, 0);
    await darkPage.getByTestId("tee-check").first().waitFor();
    expect(await seriousViolations(darkPage)).toEqual([]);
    await screenshot(darkPage, "tee-panel-verified-dark");
    await darkPage.keyboard.press("Escape");
    await openPanel(darkPage, 1);
    await darkPage.locator("[data-check=response_hash]").waitFor();
    await screenshot(darkPage, "tee-panel-failed-dark");
    await dark.close();

    const small = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const phonePage = await small.newPage();
    await phonePage.goto(chatUrl);
    await openPanel(phonePage, 1);
    await phonePage.locator("[data-check=response_hash]").waitFor();
    await screenshot(phonePage, "tee-panel-failed-phone");
    await small.close();
  });

  it("flags a failed reply when the admin requires verified replies, and records it in the audit log", async () => {
    await page.goto(`${app.url}/admin/groups/${EVERYONE_GROUP_ID}`);
    const toggle = page.getByTestId("require-verified");
    expect(await toggle.getAttribute("aria-checked")).toBe("false");
    await toggle.click();
    await page.getByText("Everyone now requires verified replies.").first().waitFor();
    await screenshot(page, "tee-group-policy-light");

    await page.goto(chatUrl);
    const reply = await ask("[[fake:tee other-key]] Who signed this one?");
    await expect.poll(() => reply.getByTestId("tee-badge").getAttribute("data-status"), { timeout: 30_000 }).toBe("failed");
    const flag = reply.getByTestId("tee-flag");
    await flag.waitFor();
    expect(await flag.getAttribute("role")).toBe("alert");
    expect(await flag.textContent()).toContain("failed enclave verification");
    await reply.scrollIntoViewIfNeeded();
    await screenshot(page, "tee-flagged-light");
    // The earlier failure, made before the policy, is not flagged.
    expect(await page.getByTestId("tee-flag").count()).toBe(1);

    await page.goto(`${app.url}/admin/audit`);
    const row = page.locator('[data-testid=audit-row][data-action="reply.verification_failed"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("system");
    expect(await page.locator("[data-testid=audit-row][data-action='reply.verification_failed']").count()).toBe(1);
  });

  it("filters /admin/usage on the verification", async () => {
    await page.goto(`${app.url}/admin/usage`);
    await page.getByLabel("Enclave verification").selectOption("failed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/verification=failed/);
    const badges = page.getByTestId("usage-verification");
    await expect.poll(() => badges.count()).toBe(2);
    expect(await badges.allTextContents()).toEqual(["not verified", "not verified"]);
    await screenshot(page, "tee-usage-filter-light");
  });
});
