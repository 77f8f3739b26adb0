import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { ROOT } from "./constants";

export const SCREENSHOTS = path.join(ROOT, "test-results", "screenshots");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const cspViolations: string[] = [];

/**
 * What the browser said about Content-Security-Policy so far (a refused script, style, image or
 * connection), in every context of every browser `launchBrowser` started. Tests expect it empty.
 */
export function contentSecurityPolicyViolations(): string[] {
  return [...cspViolations];
}

function watchContentSecurityPolicy(context: BrowserContext): BrowserContext {
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${message.page()?.url() ?? "?"}: ${message.text()}`);
  });
  return context;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watchContentSecurityPolicy(await newContext(options));
  return browser;
}

export const phone: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Fills the first-run setup form on the open /setup page, submits it and waits for the chat. */
export async function completeSetupForm(page: Page, baseUrl: string, who: { name: string; email: string; password: string }): Promise<void> {
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel(/Password/).fill(who.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/** Signs in through the sign-in form, the way a person would, and waits for the chat. */
export async function signInWithPassword(page: Page, baseUrl: string, who: { email: string; password: string }): Promise<Page> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
  return page;
}
