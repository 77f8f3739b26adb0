import "server-only";
import type { OIDCConfig } from "next-auth/providers";
import { env } from "@/lib/env";

/** Claims as the identity provider sends them (ID token and userinfo); only these are read. */
export interface SsoClaims {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
  preferred_username?: unknown;
  [claim: string]: unknown;
}

export const OIDC_PROVIDER_ID = "oidc";

/** Single sign-on as configured, or null when AUTH_OIDC_* are not set. */
export const sso =
  env.AUTH_OIDC_ISSUER && env.AUTH_OIDC_CLIENT_ID && env.AUTH_OIDC_CLIENT_SECRET
    ? {
        issuer: env.AUTH_OIDC_ISSUER,
        clientId: env.AUTH_OIDC_CLIENT_ID,
        clientSecret: env.AUTH_OIDC_CLIENT_SECRET,
        name: env.AUTH_OIDC_NAME ?? "SSO",
        groupsClaim: env.AUTH_OIDC_GROUPS_CLAIM ?? null,
      }
    : null;

/** What the sign-in page needs to know (no secrets). */
export const ssoButton = sso ? { name: sso.name } : null;

/**
 * The generic OpenID Connect provider. The profile is read from the userinfo endpoint (which
 * every provider fills for the requested scopes), merged over the ID token's claims in the
 * signIn callback; Auth.js validates the ID token (issuer, audience, nonce) either way.
 */
export function oidcProvider(): OIDCConfig<SsoClaims> | null {
  if (!sso) return null;
  return {
    id: OIDC_PROVIDER_ID,
    name: sso.name,
    type: "oidc",
    issuer: sso.issuer,
    clientId: sso.clientId,
    clientSecret: sso.clientSecret,
    checks: ["pkce", "state", "nonce"],
    idToken: false,
    authorization: { params: { scope: "openid email profile" } },
    profile(claims) {
      const email = typeof claims.email === "string" ? claims.email.toLowerCase() : null;
      const name = typeof claims.name === "string" ? claims.name : null;
      // id, role and sessionVersion are replaced by the database user's in the signIn callback.
      return { id: claims.sub, email, name, role: "MEMBER" };
    },
  };
}

/** The ID token's payload. Auth.js has already verified its signature and audience. */
export function idTokenClaims(idToken: unknown): Record<string, unknown> {
  if (typeof idToken !== "string") return {};
  try {
    const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as unknown;
    return payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
