import { createHash, randomBytes } from "node:crypto";

/**
 * A personal API key's secret: `pb_` + 32 random bytes in base64url (43 characters). Only its
 * SHA-256 is stored; the secret is high-entropy, so a fast hash is enough (as for GitHub's tokens).
 * Its first characters (`pb_` + 8) are stored as they are, to find the key and to show it in lists.
 */
export const KEY_PREFIX = "pb_";
const PREFIX_LENGTH = KEY_PREFIX.length + 8;
const SECRET_PATTERN = /^pb_[A-Za-z0-9_-]{43}$/;

export const hashSecret = (secret: string): string => createHash("sha256").update(secret).digest("hex");

export const prefixOf = (secret: string): string => secret.slice(0, PREFIX_LENGTH);

export function newSecret(): { secret: string; prefix: string; secretHash: string } {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, prefix: prefixOf(secret), secretHash: hashSecret(secret) };
}

/** Whether a string has the shape of a key's secret (anything else is refused without a lookup). */
export const looksLikeSecret = (value: string): boolean => SECRET_PATTERN.test(value);

/** The bearer token of an `Authorization` header, if any. */
export function bearerToken(headers: Headers): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.get("authorization") ?? "");
  return match ? match[1]! : null;
}
