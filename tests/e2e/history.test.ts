import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, phone, screenshot } from "../support/browser";
import { ADMIN, chatBody, setUpAdmin } from "../support/fixtures";
import { expectStatus } from "../support/personas";
import type { Session } from "../support/session";

const MIA = { email: "mia@example.com", password: "mia-password-1", name: "Mia Member" };
/** More than the sidebar's first page (50), so the rest loads as the list scrolls. */
const FILLER_CHATS = 52;

/**
 * History in the browser: a deep link surviving sign-in, Ctrl+K search, pin, delete with undo,
 * scrolling for more chats, and a share link read by a second member, then revoked.
 */
describe("chat history in the browser", () => {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let tartId: string;

  async function say(api: Session, text: string, chatId?: string): Promise<string> {
    const body = chatBody(text, undefined, chatId);
    await (await expectStatus(await api.postJson("/api/chat", body), 200, text)).text();
    return body.id;
  }

  const list = () => page.getByTestId("chat-list");
  /** What the server lists now, read through the browser's session. */
  const listedTitles = (on: Page) =>
    on.evaluate(async () => ((await (await fetch("/api/chats")).json()) as { chats: { title: string }[] }).chats.map((c) => c.title));
  const row = (title: string) => list().locator("li").filter({ hasText: title });
  async function menu(title: string, item: string | RegExp) {
    await row(title).hover();
    await page.getByRole("button", { name: `Actions for ${title}` }).click();
    await page.getByRole("menuitem", { name: item }).click();
  }

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    const api = await setUpAdmin(app);
    await expectStatus(await api.postJson("/api/admin/users", { ...MIA, role: "MEMBER" }), 201, "mia");
    for (let i = 0; i < FILLER_CHATS; i++) await say(api, `Filler chat ${String(i).padStart(2, "0")}`);
    await say(api, "Weekend hiking plan");
    tartId = await say(api, "Recipe for a lemon tart");
    await say(api, "Add the quokka sprinkles on top", tartId);
    browser = await launchBrowser();
    context = await browser.newContext(desktop);
    page = await context.newPage();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("keeps a deep link through sign-in: /chat/<id> lands on that chat", async () => {
    await page.goto(`${app.url}/chat/${tartId}`);
    await page.waitForURL(/\/signin\?callbackUrl=/);
    expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/chat/${tartId}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/chat/${tartId}`);
    await page.getByTestId("message-user").getByText("Add the quokka sprinkles on top").waitFor();
  });

  it("finds a word from a message body with Ctrl+K and opens the chat", async () => {
    await page.goto(app.url);
    await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
    await page.keyboard.press("Control+k");
    await page.getByLabel("Search your chats").fill("quokka");
    const result = page.getByTestId("search-result");
    await result.first().waitFor();
    expect(await result.count()).toBe(1);
    expect(await result.locator("mark").allTextContents()).toContain("quokka");
    expect(await result.textContent()).toContain("Recipe for a lemon tart");
    await screenshot(page, "history-search-light");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${app.url}/chat/${tartId}`);
    await page.getByTestId("message-user").getByText("Add the quokka sprinkles on top").waitFor();
  });

  it("pins a chat to the top, and it stays pinned after a reload", async () => {
    await list().getByText("Weekend hiking plan").waitFor();
    await menu("Weekend hiking plan", "Pin");
    const pinned = page.getByTestId("chat-section-Pinned");
    await pinned.getByText("Weekend hiking plan").waitFor();
    await page.reload();
    await page.getByTestId("chat-section-Pinned").getByText("Weekend hiking plan").waitFor();
    expect(await page.getByTestId("chat-section-Today").getByText("Weekend hiking plan").count()).toBe(0);
    await screenshot(page, "history-sidebar-light");
  });

  it("deletes with an undo toast: Undo keeps the chat, letting the toast go deletes it", async () => {
    await menu("Filler chat 51", "Delete");
    const toast = page.getByText("Deleted “Filler chat 51”");
    await toast.waitFor();
    expect(await row("Filler chat 51").count()).toBe(0);
    await page.getByRole("button", { name: "Undo" }).click();
    await row("Filler chat 51").waitFor();
    await page.reload();
    await row("Filler chat 51").waitFor();

    await menu("Filler chat 50", "Delete");
    await page.getByText("Deleted “Filler chat 50”").waitFor();
    await page.getByText("Deleted “Filler chat 50”").waitFor({ state: "detached", timeout: 30_000 });
    await expect.poll(() => listedTitles(page)).not.toContain("Filler chat 50");
    await page.reload();
    await row("Filler chat 51").waitFor();
    expect(await row("Filler chat 50").count()).toBe(0);

    // Leaving the page before the toast ends still deletes: the reload shows what the list showed.
    await menu("Filler chat 49", "Delete");
    await page.getByText("Deleted “Filler chat 49”").waitFor();
    await page.reload();
    await row("Filler chat 49").waitFor({ state: "detached" });
    await expect.poll(() => listedTitles(page)).not.toContain("Filler chat 49");
    await page.reload();
    await row("Filler chat 48").waitFor();
    expect(await row("Filler chat 49").count()).toBe(0);
  });

  it("loads older chats as the list scrolls to its end", async () => {
    // 52 fillers, two deleted, plus two: more than the first page of 50.
    expect(await list().locator("li").count()).toBe(50);
    expect(await row("Filler chat 00").count()).toBe(0);
    await page.getByTestId("chat-list-more").scrollIntoViewIfNeeded();
    await row("Filler chat 00").waitFor();
    expect(await list().locator("li").count()).toBe(FILLER_CHATS + 2 - 2);
    await expect(page.getByTestId("chat-list-more").count()).resolves.toBe(0);
  });

  it("shares a chat with another member, read-only, until the owner revokes the link", async () => {
    await menu("Recipe for a lemon tart", /Share/);
    const dialog = page.getByTestId("share-dialog");
    await dialog.getByRole("button", { name: "Create link" }).click();
    const link = dialog.getByLabel("Share link");
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(new RegExp(`^${app.url}/share/[A-Za-z0-9_-]{43}$`));
    await screenshot(page, "history-share-dialog-light");
    await page.keyboard.press("Escape");

    // Mia, not signed in yet: the link sends her to sign in, then to the chat.
    const miaContext = await browser.newContext(desktop);
    const mia = await miaContext.newPage();
    await mia.goto(url);
    await mia.waitForURL(/\/signin\?callbackUrl=/);
    expect(await mia.content()).not.toContain("quokka");
    await mia.getByLabel("Email").fill(MIA.email);
    await mia.getByLabel("Password").fill(MIA.password);
    await mia.getByRole("button", { name: "Sign in" }).click();
    await mia.waitForURL(url);
    const shared = mia.getByTestId("shared-chat");
    await shared.getByRole("heading", { name: "Recipe for a lemon tart" }).waitFor();
    await shared.getByTestId("message-user").getByText("Add the quokka sprinkles on top").waitFor();
    await shared.getByText(/Read-only · shared by Ada Admin/).waitFor();
    expect(await mia.getByTestId("chat-input").count()).toBe(0);
    // Her own sidebar does not list it.
    expect(await mia.getByTestId("chat-list").getByText("Recipe for a lemon tart").count()).toBe(0);
    await screenshot(mia, "history-shared-light");

    await menu("Recipe for a lemon tart", /Share/);
    await dialog.getByRole("button", { name: "Revoke link" }).click();
    await dialog.getByRole("button", { name: "Create link" }).waitFor();
    await page.keyboard.press("Escape");
    const gone = await mia.reload();
    expect(gone?.status()).toBe(404);
    expect(await mia.content()).not.toContain("quokka");
    await miaContext.close();
  });

  it("looks right in dark mode and at phone width", async () => {
    const dark = await browser.newContext({ ...desktop, colorScheme: "dark", storageState: await context.storageState() });
    const darkPage = await dark.newPage();
    await darkPage.goto(`${app.url}/chat/${tartId}`);
    await darkPage.getByTestId("chat-section-Pinned").waitFor();
    await screenshot(darkPage, "history-sidebar-dark");
    await darkPage.keyboard.press("Control+k");
    await darkPage.getByLabel("Search your chats").fill("lemon tart");
    await darkPage.getByTestId("search-result").first().waitFor();
    await screenshot(darkPage, "history-search-dark");
    await dark.close();

    const mobile = await browser.newContext({ ...phone, storageState: await context.storageState() });
    const mobilePage = await mobile.newPage();
    await mobilePage.goto(app.url);
    await mobilePage.getByRole("button", { name: "Open menu" }).click();
    await mobilePage.getByRole("dialog").getByTestId("chat-section-Pinned").waitFor();
    await screenshot(mobilePage, "history-sidebar-phone");
    await mobilePage.getByRole("dialog").getByTestId("search-chats").click();
    await mobilePage.getByLabel("Search your chats").fill("quokka");
    await mobilePage.getByTestId("search-result").first().waitFor();
    await screenshot(mobilePage, "history-search-phone");
    await mobile.close();
  });
});
