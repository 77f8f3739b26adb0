import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/lib/auth/config";
import { readSessionToken } from "@/lib/auth/token";
import { isDraining, serverShuttingDown } from "@/lib/server/shutdown";
import {
  HSTS_VALUE,
  NONCE_HEADER,
  REQUEST_ID_HEADER,
  contentSecurityPolicy,
  newNonce,
  requestIdFrom,
  wantsHsts,
} from "@/lib/http/security-headers";

/**
 * First line of defence: pages without a session redirect to /signin, APIs answer 401. Every
 * page, server action and route handler checks the session again itself (lib/auth/session.ts).
 * The proxy only reads the cookie and never writes it: a response that re-issued the session
 * cookie (as Auth.js's middleware does on each page request, prefetches included) could land
 * after a sign-out's and sign the browser back in.
 *
 * It also gives each request an id and a script nonce: both go to the app as request headers
 * (Next reads the nonce from the Content-Security-Policy request header and puts it on its own
 * scripts; the root layout reads `x-nonce`) and back to the browser as response headers.
 */
export default async function proxy(request: NextRequest) {
  const requestId = requestIdFrom(request.headers);
  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce);
  const response = await decide(request, () => {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_ID_HEADER, requestId);
    headers.set(NONCE_HEADER, nonce);
    headers.set("content-security-policy", policy);
    return NextResponse.next({ request: { headers } });
  });
  response.headers.set(REQUEST_ID_HEADER, requestId);
  response.headers.set("content-security-policy", policy);
  // AUTH_URL is validated at start (lib/env.ts); the proxy reads it without importing the server config.
  if (wantsHsts(request.headers, request.url, process.env.AUTH_URL)) {
    response.headers.set("strict-transport-security", HSTS_VALUE);
  }
  return response;
}

async function decide(request: NextRequest, next: () => NextResponse): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  // A shutting-down instance takes nothing new (lib/server/shutdown.ts); route handlers say the same.
  if (isDraining()) {
    const refusal = serverShuttingDown();
    return NextResponse.json(refusal.toBody(), { status: refusal.status, headers: refusal.headers });
  }
  if (isPublicPath(pathname)) return next();
  if (await readSessionToken(request.headers)) return next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json(
      { error: { code: "unauthorized:auth", message: "You need to sign in first." } },
      { status: 401 },
    );
  }
  const signin = new URL("/signin", request.url);
  signin.searchParams.set("callbackUrl", `${pathname}${search}`);
  return NextResponse.redirect(signin);
}

export const config = {
  // POST /api/chat checks the session itself before anything else (and it is the hot path: the
  // proxy's request copy and cookie check cost CPU on every reply), so the proxy skips it; its
  // route() wrapper gives it a request id and next.config.ts the other security headers. So does
  // POST /api/uploads: the proxy would buffer (and cut at 10 MB) a body it never reads. So does the
  // OpenAI-compatible API under /api/v1: it takes bearer keys, not the session cookie, and its
  // gatewayRoute() wrapper (lib/gateway/route.ts) gives it a request id and the shutdown 503.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/chat$|api/uploads$|api/v1/).*)"],
};
