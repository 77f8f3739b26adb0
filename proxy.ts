import NextAuth from "next-auth";
import { NextResponse, type NextFetchEvent, type NextRequest } from "next/server";
import { authConfig, isPublicPath } from "@/lib/auth/config";
import { readSessionToken } from "@/lib/auth/token";

/**
 * First line of defence: pages without a session redirect to /signin, APIs answer 401.
 * Every route handler checks the session again (lib/auth/session.ts). API calls get the cheap
 * cookie check (they are on the chat's time-to-first-token path); pages get Auth.js's full
 * check, which also keeps the session cookie fresh.
 */
const { auth } = NextAuth(authConfig);
// Called with (request, event), Auth.js's `auth` is a middleware that applies `authorized`.
const guardPage = auth as unknown as (request: NextRequest, event: NextFetchEvent) => Promise<Response>;

export default async function proxy(request: NextRequest, event: NextFetchEvent) {
  const { pathname } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    if (await readSessionToken(request.headers)) return NextResponse.next();
    return NextResponse.json(
      { error: { code: "unauthorized:auth", message: "You need to sign in first." } },
      { status: 401 },
    );
  }
  return guardPage(request, event);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
