import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/lib/auth/config";
import { readSessionToken } from "@/lib/auth/token";

/**
 * First line of defence: pages without a session redirect to /signin, APIs answer 401. Every
 * page, server action and route handler checks the session again itself (lib/auth/session.ts).
 * The proxy only reads the cookie and never writes it: a response that re-issued the session
 * cookie (as Auth.js's middleware does on each page request, prefetches included) could land
 * after a sign-out's and sign the browser back in.
 */
export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();
  if (await readSessionToken(request.headers)) return NextResponse.next();
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
  // proxy's request copy and cookie check cost CPU on every reply), so the proxy skips it. So does
  // POST /api/uploads: the proxy would buffer (and cut at 10 MB) a body it never reads.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/chat$|api/uploads$).*)"],
};
