// Attaching files in the browser (issue 7 §2): the paperclip, paste and drag and drop; a refusal
// shown at once for a model without image input; the image reaching the model and showing as a
// thumbnail in the history, before and after a reload.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { desktop, launchBrowser, SCREENSHOTS, screenshot, signInWithPassword } from "../support/browser";
import { ADMIN, setUpAdmin } from "../support/fixtures";
import { solidPng } from "../support/images";

const PNG = solidPng(96, 64, [220, 80, 40]);
const TEXT_ONLY = "phala/deepseek-chat-v3-0324";
const VISION = "openai/gpt-5";

async function chooseModel(page: Page, id: string) {
  await page.getByTestId("model-picker").click();
  await page.getByTestId(`model-option-${id}`).click();
}

/** Hands files to the page the way a paste or a drop does (a DataTransfer holding Files). */
async function dispatchFiles(page: Page, selector: string, kind: "paste" | "drop", files: { name: string; type: string; base64: string }[]) {
  await page.evaluate(
    ({ selector, kind, files }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: f.type }));
      const target = document.querySelector(selector)!;
      if (kind === "paste") {
        target.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
        return;
      }
      for (const type of ["dragenter", "dragover", "drop"]) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    },
    { selector, kind, files },
  );
}

const loaded = (page: Page) =>
  page.getByTestId("message-image").first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

describe("attachments in the browser", () => {
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

  it("refuses an image at once for a model without image input", async () => {
    await chooseModel(page, TEXT_ONLY);
    await page.getByTestId("attach-input").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG });
    await expect.poll(() => page.getByTestId("attachment-problem").textContent()).toMatch(/does not take images/);
    expect(await page.getByTestId("pending-attachment").count()).toBe(0);
    await page.getByTestId("attach-input").setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: Buffer.from("MZ") });
    await expect.poll(() => page.getByTestId("attachment-problem").textContent()).toMatch(/setup\.exe.* cannot be attached/);
  });

  it("sends an image picked with the paperclip to a vision model and shows it as a thumbnail, also after a reload", async () => {
    await chooseModel(page, VISION);
    await page.getByTestId("attach-input").setInputFiles([
      { name: "photo.png", mimeType: "image/png", buffer: PNG },
      { name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nThe picture is orange.\n") },
    ]);
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(2);
    await page.getByTestId("chat-input").fill("What is in this picture?");
    await screenshot(page, "attachments-pending");
    await page.getByTestId("chat-input").press("Enter");
    await expect.poll(() => page.getByTestId("message-assistant").last().getAttribute("data-status"), { timeout: 20_000 }).toBe("ok");
    expect(await page.getByTestId("pending-attachment").count()).toBe(0);
    await expect.poll(() => loaded(page)).toBe(true);
    expect(await page.getByTestId("message-file").textContent()).toContain("notes.md");

    const upstream = app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").at(-1)!;
    const sent = JSON.stringify(upstream.body);
    expect(sent).toContain(`"image_url":{"url":"data:image/png;base64,${PNG.toString("base64")}"}`);
    expect(sent).toContain("The picture is orange.");

    await page.reload();
    const thumbnail = page.getByTestId("message-image").first();
    await thumbnail.waitFor();
    expect(await thumbnail.getAttribute("src")).toMatch(/^\/api\/uploads\/[0-9a-f-]{36}$/);
    await expect.poll(() => loaded(page)).toBe(true);
    await screenshot(page, "attachments-history");
    fs.copyFileSync(path.join(SCREENSHOTS, "attachments-history.png"), "/tmp/attachments-history.png");
  });

  it("attaches a pasted image and dropped files, and removes one with its button", async () => {
    const base64 = PNG.toString("base64");
    await dispatchFiles(page, '[data-testid="chat-input"]', "paste", [{ name: "screenshot.png", type: "image/png", base64 }]);
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(1);
    await dispatchFiles(page, '[data-testid="messages"]', "drop", [
      { name: "dropped.png", type: "image/png", base64 },
      { name: "data.csv", type: "text/csv", base64: Buffer.from("a,b\n1,2\n").toString("base64") },
    ]);
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(3);
    await page.getByRole("button", { name: "Remove dropped.png" }).click();
    await expect.poll(() => page.getByTestId("pending-attachment").count()).toBe(2);
    await screenshot(page, "attachments-pasted-dropped");
    fs.copyFileSync(path.join(SCREENSHOTS, "attachments-pasted-dropped.png"), "/tmp/attachments-pasted-dropped.png");
  });
});
