import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";

/** A one-time link's secret: 256 random bits. Only its hash is stored. */
export const newLinkToken = (): string => randomBytes(32).toString("base64url");

export const hashLinkToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Where links point: AUTH_URL when set (the address people use), else the request's own host. */
export function publicOrigin(headers: Headers): string {
  if (env.AUTH_URL) return new URL(env.AUTH_URL).origin;
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "localhost:3000";
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${proto}://${host}`;
}

/** A link's token as it arrives in a URL. */
export const linkTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "That link is not valid.") });
