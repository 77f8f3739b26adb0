import { LRUCache } from "lru-cache";
import { getToken } from "next-auth/jwt";

export interface SessionToken {
  id: string;
}

// Verified cookies, so the proxy and the route handler of one request (and the next requests of
// the same browser) decrypt each cookie once. Keyed by the cookie header; an entry never outlives
// its token, and the user row is still read fresh on every request.
const verified = new LRUCache<string, SessionToken>({ max: 10_000, ttl: 60_000 });

async function decodeSessionCookie(headers: Headers): Promise<{ token: SessionToken; expiresAt: number } | null> {
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: { headers }, secret: process.env.AUTH_SECRET, secureCookie });
    if (typeof token?.id === "string") {
      return { token: { id: token.id }, expiresAt: typeof token.exp === "number" ? token.exp * 1000 : 0 };
    }
  }
  return null;
}

/**
 * Reads and verifies the Auth.js session cookie (an encrypted JWT) straight from the request
 * headers. The hot path (API routes, the proxy) uses this instead of `auth()`, which runs Auth.js's
 * whole request pipeline and re-issues the cookie on every call. The cookie is `__Secure-` behind
 * HTTPS and plain otherwise; both are tried.
 */
export async function readSessionToken(headers: Headers): Promise<SessionToken | null> {
  const cookie = headers.get("cookie");
  if (!cookie?.includes("authjs.session-token")) return null;
  const cached = verified.get(cookie);
  if (cached) return cached;
  const decoded = await decodeSessionCookie(headers);
  if (!decoded) return null;
  const ttl = Math.min(60_000, decoded.expiresAt - Date.now());
  if (ttl > 0) verified.set(cookie, decoded.token, { ttl });
  return decoded.token;
}
