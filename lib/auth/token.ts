import { getToken } from "next-auth/jwt";

export interface SessionToken {
  id: string;
}

/**
 * Reads and verifies the Auth.js session cookie (an encrypted JWT) straight from the request
 * headers. The hot path (API routes, the proxy) uses this instead of `auth()`, which runs Auth.js's
 * whole request pipeline and re-issues the cookie on every call. The cookie is `__Secure-` behind
 * HTTPS and plain otherwise; both are tried.
 */
export async function readSessionToken(headers: Headers): Promise<SessionToken | null> {
  if (!headers.get("cookie")?.includes("authjs.session-token")) return null;
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: { headers }, secret: process.env.AUTH_SECRET, secureCookie });
    if (typeof token?.id === "string") return { id: token.id };
  }
  return null;
}
