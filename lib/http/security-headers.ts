/**
 * The security headers of every response, in one place. Pure (no environment, no server-only
 * import): next.config.ts, proxy.ts and the route() wrapper all build their headers here.
 *
 * - proxy.ts gives every page and API response it sees a Content-Security-Policy with a fresh
 *   script nonce (Next adds it to its own scripts), the request id and, when due, HSTS;
 * - next.config.ts gives every response the static headers and a nonce-less policy, so the paths
 *   the proxy skips (static files, POST /api/chat) have them too;
 * - route() adds the request id and HSTS to the responses of the paths the proxy skips.
 */

export const REQUEST_ID_HEADER = "x-request-id";
export const NONCE_HEADER = "x-nonce";
export const HSTS_VALUE = "max-age=63072000; includeSubDomains";

/**
 * Copy buttons write to the clipboard (`clipboard-write` keeps its default, this origin); nothing
 * in Pillbox needs a camera, a microphone, the location or payment.
 */
const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
].join(", ");

/** Headers that are the same on every response. */
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": PERMISSIONS_POLICY,
  "X-Frame-Options": "DENY",
};

/**
 * Scripts run only from Pillbox's own bundle, by nonce (`'strict-dynamic'` lets those load their
 * chunks). Styles may be inline (Tailwind, KaTeX and Shiki set style attributes). Images load only
 * from Pillbox itself and data:/blob: URLs, so a prompt injection cannot send chat content to
 * another host through an image URL; nothing else is fetched from elsewhere; Pillbox is never framed.
 * Without a nonce (responses the proxy does not see: static files, the chat stream) no inline
 * script may run at all.
 */
export function contentSecurityPolicy(nonce?: string): string {
  return [
    "default-src 'self'",
    nonce ? `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The caller's `x-request-id` when it is a sane token (a load balancer's), else a new UUID. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming && SANE_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
}

/**
 * HSTS when Pillbox's public address is https (AUTH_URL) or this request arrived over HTTPS
 * (directly, or as the proxy in front says with `x-forwarded-proto`).
 */
export function wantsHsts(headers: Headers, url: string, authUrl: string | undefined): boolean {
  if (authUrl?.toLowerCase().startsWith("https://")) return true;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return url.startsWith("https:");
}
