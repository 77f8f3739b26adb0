import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import type { Session } from "../support/session";

const HSTS = "max-age=63072000; includeSubDomains";

/** The script nonce of a page's Content-Security-Policy (null when it has none). */
function nonceOf(response: Response): string | null {
  return /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? null;
}

/** Every security header every response has; pages (`nonce`) also a script nonce. */
function expectSecurityHeaders(response: Response, { nonce }: { nonce: boolean }): void {
  const where = `${response.status} ${response.url}`;
  const h = response.headers;
  expect(h.get("x-content-type-options"), where).toBe("nosniff");
  expect(h.get("referrer-policy"), where).toBe("strict-origin-when-cross-origin");
  expect(h.get("x-frame-options"), where).toBe("DENY");
  const permissions = h.get("permissions-policy") ?? "";
  for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()"]) expect(permissions, where).toContain(feature);
  expect(permissions, where).not.toContain("clipboard-write"); // copy buttons keep working
  const csp = h.get("content-security-policy") ?? "";
  for (const directive of ["default-src 'self'", "img-src 'self' data: blob:", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "connect-src 'self'"]) {
    expect(csp.split("; "), where).toContain(directive);
  }
  expect(csp, where).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  if (nonce) expect(csp, where).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(h.get("x-request-id"), where).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/);
}

describe("security headers and request ids", () => {
  let app: AppServer;
  let admin: Session;

  beforeAll(async () => {
    app = await startAppServer({ database: "embedded" });
    admin = await setUpAdmin(app);
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("puts every header on pages, with a fresh nonce per request that Next puts on its scripts", async () => {
    const first = await admin.fetch("/");
    const second = await admin.fetch("/");
    for (const page of [first, second]) {
      expect(page.status).toBe(200);
      expectSecurityHeaders(page, { nonce: true });
      expect(page.headers.get("strict-transport-security")).toBeNull();
    }
    expect(nonceOf(first)).not.toBe(nonceOf(second));
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonceOf(first)}"`);

    const signin = await fetch(`${app.url}/signin`); // public page, anonymous
    expect(signin.status).toBe(200);
    expectSecurityHeaders(signin, { nonce: true });
    const redirect = await fetch(`${app.url}/chat/some-chat`, { redirect: "manual" }); // anonymous → sign in
    expect(redirect.status).toBe(307);
    expectSecurityHeaders(redirect, { nonce: true });
    const missing = await admin.fetch("/no-such-page");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing, { nonce: true });
  });

  it("puts every header on API responses, errors and 404s, including POST /api/chat the proxy skips", async () => {
    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(200);
    expectSecurityHeaders(health, { nonce: false });
    const unknown = await admin.fetch("/api/no-such-endpoint");
    expect(unknown.status).toBe(404);
    expectSecurityHeaders(unknown, { nonce: false });
    const anonymous = await fetch(`${app.url}/api/chats`);
    expect(anonymous.status).toBe(401);
    expectSecurityHeaders(anonymous, { nonce: false });
    const chatAnonymous = await fetch(`${app.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(chatBody("hi")),
    });
    expect(chatAnonymous.status).toBe(401);
    expectSecurityHeaders(chatAnonymous, { nonce: false });
    const chatInvalid = await admin.postJson("/api/chat", { id: "x" });
    expect(chatInvalid.status).toBe(400);
    expectSecurityHeaders(chatInvalid, { nonce: false });
    const badMedia = await admin.fetch("/api/admin/groups", { method: "POST", body: "{}" });
    expect(badMedia.status).toBe(415);
    expectSecurityHeaders(badMedia, { nonce: false });
  });

  it("puts the static headers on static files too", async () => {
    const html = await (await fetch(`${app.url}/signin`)).text();
    const src = /<script[^>]+src="(\/_next\/static\/[^"]+)"/.exec(html)![1]!;
    const asset = await fetch(`${app.url}${src}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    expect(asset.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });

  it("gives each request its own id, and echoes a sane incoming one", async () => {
    const ids = new Set<string>();
    for (const path of ["/signin", "/api/health", "/api/no-such-endpoint"]) {
      for (let i = 0; i < 2; i++) ids.add((await fetch(`${app.url}${path}`)).headers.get("x-request-id")!);
    }
    ids.add((await admin.postJson("/api/chat", { id: "x" })).headers.get("x-request-id")!);
    expect(ids.size).toBe(7);

    const sane = "lb-7f3a.9c1e:42";
    for (const response of [
      await fetch(`${app.url}/signin`, { headers: { "x-request-id": sane } }),
      await fetch(`${app.url}/api/health`, { headers: { "x-request-id": sane } }),
      await admin.postJson("/api/chat", { id: "x" }, { headers: { "x-request-id": sane } }),
    ]) {
      expect(response.headers.get("x-request-id")).toBe(sane);
    }
    for (const insane of ["<script>", "a b", "x".repeat(300)]) {
      for (const response of [
        await fetch(`${app.url}/api/health`, { headers: { "x-request-id": insane } }),
        await admin.postJson("/api/chat", { id: "x" }, { headers: { "x-request-id": insane } }),
      ]) {
        expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    }
  });

  it("sends HSTS only for requests that arrived over HTTPS when AUTH_URL is not https", async () => {
    const https = { "x-forwarded-proto": "https" };
    for (const response of [
      await fetch(`${app.url}/signin`, { headers: https }),
      await fetch(`${app.url}/api/health`, { headers: https }),
      await fetch(`${app.url}/api/no-such-endpoint`, { headers: https }),
      await admin.postJson("/api/chat", { id: "x" }, { headers: https }),
    ]) {
      expect(response.headers.get("strict-transport-security"), response.url).toBe(HSTS);
    }
    for (const response of [
      await fetch(`${app.url}/signin`),
      await fetch(`${app.url}/api/health`),
      await admin.postJson("/api/chat", { id: "x" }),
      await fetch(`${app.url}/signin`, { headers: { "x-forwarded-proto": "http" } }),
    ]) {
      expect(response.headers.get("strict-transport-security"), response.url).toBeNull();
    }
  });
});

it("sends HSTS on every page and API response when AUTH_URL is https", async () => {
  const app = await startAppServer({ database: "embedded", env: { AUTH_URL: "https://pillbox.example.com" } });
  try {
    for (const response of [
      await fetch(`${app.url}/signin`),
      await fetch(`${app.url}/api/health`),
      await fetch(`${app.url}/api/no-such-endpoint`),
      await fetch(`${app.url}/api/chat`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    ]) {
      expectSecurityHeaders(response, { nonce: response.url.endsWith("/signin") });
      expect(response.headers.get("strict-transport-security"), response.url).toBe(HSTS);
    }
  } finally {
    await app.stop();
  }
});
