import "server-only";
import { canSignIn } from "@/lib/auth/session-rules";
import { readGatewayPreflight, type GatewayPreflight, type GatewayRule, type GatewayUser } from "@/lib/db/gateway-preflight";
import { AppError } from "@/lib/errors";
import { apiAccessAllowed } from "@/lib/keys/access";
import { bearerToken, hashSecret, looksLikeSecret, prefixOf } from "@/lib/keys/secret";

export interface KeyHolder extends Omit<GatewayPreflight, "key" | "user" | "rules"> {
  keyId: string;
  user: GatewayUser;
  rules: GatewayRule[];
}

const refuse = (message: string) => new AppError("unauthorized:key", message, { headers: { "www-authenticate": "Bearer" } });

/**
 * The caller of an /api/v1 route, from its bearer key, with everything its call is checked against
 * (one database round trip). A missing, unknown, revoked or expired key, or one whose user is
 * disabled or deleted, is a 401; a user whose group has API access off, a 403. A key acts as its
 * user: the same model access, budgets and rate limits apply afterwards.
 */
export async function authenticateKey(request: Request, modelId: string | null): Promise<KeyHolder> {
  return checkKey(keySecret(request), modelId);
}

/** The request's bearer key, if it has the shape of one (no database yet), or 401. */
export function keySecret(request: Request): string {
  const secret = bearerToken(request.headers);
  if (!secret) throw refuse("Missing API key. Send your Pillbox key as `Authorization: Bearer pb_…`.");
  if (!looksLikeSecret(secret)) throw refuse("Invalid API key.");
  return secret;
}

/** The key of `secret` and its user, checked (see authenticateKey). */
export async function checkKey(secret: string, modelId: string | null): Promise<KeyHolder> {
  const { key, user, rules, ...rest } = await readGatewayPreflight({ prefix: prefixOf(secret), secretHash: hashSecret(secret), modelId });
  if (!key) throw refuse("Invalid API key.");
  if (key.revoked) throw refuse("This API key was revoked.");
  if (key.expired) throw refuse(`This API key expired on ${key.expiresAt?.toISOString() ?? "its expiry date"}.`);
  if (!user || !canSignIn(user)) throw refuse("The account this API key belongs to is disabled.");
  if (!apiAccessAllowed(rules)) throw new AppError("forbidden:key", "API access is turned off for one of your groups. Ask an admin.");
  return { keyId: key.id, user, rules, ...rest };
}
