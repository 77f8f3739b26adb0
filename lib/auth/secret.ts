import "server-only";
import { randomBytes } from "node:crypto";
import { getOrCreateSetting } from "@/lib/db/settings";

/**
 * AUTH_SECRET when the environment has none: generated on first start and kept in the database,
 * so sessions survive restarts and every instance on one database signs and reads the same
 * cookies. An explicit AUTH_SECRET always wins.
 */
export async function ensureAuthSecret(): Promise<string> {
  const secret =
    process.env.AUTH_SECRET || (await getOrCreateSetting({ key: "auth_secret", initial: randomBytes(32).toString("base64url") }));
  process.env.AUTH_SECRET = secret;
  return secret;
}
