import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { completeSetupForm, desktop, launchBrowser, screenshot } from "../support/browser";
import { ADMIN } from "../support/fixtures";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();

const TOKEN = "setup-7c1e0b9a4d2f6e8a3b5c";

interface ErrorBody {
  error: { code: string; message: string };
}

function postSetup(app: AppServer, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function expectRefused(response: Response): Promise<ErrorBody> {
  expect(response.status).toBe(403);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe("forbidden:setup");
  return body;
}

/** The setup link the server printed at start, as a path on this server. */
function printedSetupPath(app: AppServer): string {
  const match = /https?:\/\/[^\s"]+(\/setup\?token=[^\s"]+)/.exec(app.output());
  if (!match) throw new Error(`no setup link in the server's output:\n${app.output()}`);
  return match[1]!;
}

describe.each<DatabaseKind>(["embedded", "postgres"])("PILLBOX_SETUP_TOKEN on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, env: { PILLBOX_SETUP_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it.skipIf(skip)("prints the setup link at start while no admin exists", () => {
    expect(printedSetupPath(app)).toBe(`/setup?token=${TOKEN}`);
  });

  it.skipIf(skip)("refuses POST /api/setup without the token, or with a wrong one, and creates no one", async () => {
    const missing = await expectRefused(await postSetup(app, ADMIN));
    expect(missing.error.message).toContain("setup link");
    const wrong = await expectRefused(await postSetup(app, { ...ADMIN, token: `${TOKEN}x` }));
    expect(wrong.error.message).toBe("That setup token is wrong.");
    await expectRefused(await postSetup(app, ADMIN, { "x-pillbox-setup-token": TOKEN.slice(0, -1) }));
    await expectRefused(await postSetup(app, { ...ADMIN, token: "" }));
    await expectRefused(await postSetup(app, ADMIN, { authorization: `Bearer ${TOKEN}x` }));
    await expectRefused(
      await fetch(`${app.url}/api/setup?token=${TOKEN}x`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ADMIN),
      }),
    );
    // Nobody was created: sign-in still sends people to setup, and the admin cannot sign in.
    const signin = await fetch(`${app.url}/signin`, { redirect: "manual" });
    expect(signin.status).toBe(307);
    expect(signin.headers.get("location")).toMatch(/\/setup$/);
    expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(false);
  });

  it.skipIf(skip)("shows no setup form without the token", async () => {
    for (const path of ["/setup", "/setup?token=wrong-token-0000000000"]) {
      const html = await (await fetch(`${app.url}${path}`)).text();
      expect(html).toContain("Open the setup link");
      expect(html).not.toContain("Create admin account");
      expect(html).not.toContain(TOKEN);
    }
  });

  if (database === "embedded") {
    it("lets the browser that has the link create the admin", async () => {
      browser = await launchBrowser();
      const page = await (await browser.newContext(desktop)).newPage();
      await page.goto(app.url);
      await page.waitForURL(/\/setup$/);
      await page.getByText("Open the setup link", { exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Create admin account" }).count()).toBe(0);
      await screenshot(page, "setup-token-required");

      await page.goto(`${app.url}${printedSetupPath(app)}`);
      await completeSetupForm(page, app.url, ADMIN);
      await page.getByRole("heading", { name: "What can I help with?" }).waitFor();
      expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(true);
      // Done once: the token no longer opens anything.
      expect((await postSetup(app, { ...ADMIN, email: "eve@example.com", token: TOKEN })).status).toBe(409);
    });
  } else {
    it.skipIf(skip)("takes the token in the x-pillbox-setup-token header", async () => {
      const response = await postSetup(app, ADMIN, { "x-pillbox-setup-token": TOKEN });
      expect(response.status).toBe(201);
      expect(await new Session(app.url).signIn(ADMIN.email, ADMIN.password)).toBe(true);
      expect((await postSetup(app, { ...ADMIN, email: "eve@example.com" }, { "x-pillbox-setup-token": TOKEN })).status).toBe(409);
    });
  }
});
