import { LRUCache } from "lru-cache";
import { getToken } from "next-auth/jwt";

export interface SessionToken {
  id: string;
  /** The user's sessionVersion when the session was issued; a newer one on the user row ends it. */
  sessionVersion: number;
}

const SESSION_COOKIE = "authjs.session-token";
const MAX_CACHE_BYTES = 2 * 1024 * 1024;

// Verified session tokens, so the proxy and the route handler of one request (and the next
// requests of the same browser) decrypt each cookie once. Keyed by the session token alone (junk
// cookies around it cannot multiply entries) and bounded in bytes. An entry never outlives its
// token, and the user row is still read fresh on every request.
const verified = new LRUCache<string, SessionToken>({
  maxSize: MAX_CACHE_BYTES,
  sizeCalculation: (_value, key) => key.length + 64,
  ttl: 60_000,
});

/** The raw session-token value(s) from a Cookie header: Auth.js may chunk a large cookie. */
function sessionCookieValue(cookie: string): string | null {
  const parts: string[] = [];
  for (const pair of cookie.split(";")) {
    const index = pair.indexOf("=");
    if (index < 0) continue;
    const name = pair.slice(0, index).trim();
    if (name.endsWith(SESSION_COOKIE) || name.includes(`${SESSION_COOKIE}.`)) parts.push(`${name}=${pair.slice(index + 1).trim()}`);
  }
  return parts.length ? parts.sort().join(";") : null;
}

async function decodeSessionCookie(headers: Headers): Promise<{ token: SessionToken; expiresAt: number } | null> {
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: { headers }, secret: process.env.AUTH_SECRET, secureCookie });
    if (typeof token?.id === "string") {
      return {
        token: { id: token.id, sessionVersion: typeof token.sv === "number" ? token.sv : 0 },
        expiresAt: typeof token.exp === "number" ? token.exp * 1000 : 0,
      };
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
  if (!cookie?.includes(SESSION_COOKIE)) return null;
  const key = sessionCookieValue(cookie);
  if (!key) return null;
  const cached = verified.get(key);
  if (cached) return cached;
  const decoded = await decodeSessionCookie(headers);
  if (!decoded) return null;
  const ttl = Math.min(60_000, decoded.expiresAt - Date.now());
  if (ttl > 0) verified.set(key, decoded.token, { ttl });
  return decoded.token;
}
