import { NextRequest } from "next/server";

/**
 * Auth.js builds its URLs (the OIDC redirect_uri, error redirects) from request.url, where Next
 * puts the address it listens on (http://localhost:PORT) rather than the host the browser asked
 * for. The sign-in server action already uses the Host header (trustHost), so the callback must
 * too, or the IdP sees two different redirect URIs and refuses the code. AUTH_URL, when set,
 * still wins (next-auth applies it after this).
 */
export function withBrowserOrigin(request: NextRequest): NextRequest {
  if (process.env.AUTH_URL) return request;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!host) return request;
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || request.nextUrl.protocol.slice(0, -1);
  const { href, origin } = request.nextUrl;
  const browserOrigin = `${proto}://${host}`;
  return browserOrigin === origin ? request : new NextRequest(href.replace(origin, browserOrigin), request);
}
