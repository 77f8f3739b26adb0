import "server-only";
import { idTokenClaims, sso, type SsoClaims } from "@/lib/auth/oidc";
import { canSignIn } from "@/lib/auth/session-rules";
import { signupRefusal, type SignupRefusal } from "@/lib/auth/signup";
import { claimedGroupNames, joinClaimedGroups } from "@/lib/auth/sso-groups";
import { createSelfServiceUser, getUserByEmail } from "@/lib/db/users";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

/** Why an SSO sign-in was refused; the sign-in page explains each (lib/auth/sign-in-errors.ts). */
export type SsoRefusal = "sso_no_email" | "sso_unverified" | `sso_${SignupRefusal}` | "sso_pending" | "sso_refused";

type DbUser = NonNullable<Awaited<ReturnType<typeof getUserByEmail>>>;

/** ID token claims with the userinfo response over them. */
export function mergeClaims(profile: object | undefined, idToken: unknown): SsoClaims {
  return { ...idTokenClaims(idToken), ...(profile ?? {}) } as SsoClaims;
}

function displayName(claims: SsoClaims, email: string): string {
  const name = [claims.name, claims.preferred_username].find((v): v is string => typeof v === "string" && v.trim() !== "");
  return (name ?? email.slice(0, email.indexOf("@"))).trim().slice(0, 100);
}

async function findOrCreate(claims: SsoClaims, email: string): Promise<DbUser | SsoRefusal> {
  const existing = await getUserByEmail({ email });
  if (existing) return existing;
  const settings = await getWorkspaceSettings();
  const refusal = signupRefusal(settings, email);
  if (refusal) return `sso_${refusal}`;
  try {
    return await createSelfServiceUser({
      email,
      name: displayName(claims, email),
      passwordHash: null,
      pendingApproval: settings.signupRequiresApproval,
    });
  } catch (error) {
    // Two first sign-ins at once: the other one created it.
    const raced = isUniqueViolation(error) ? await getUserByEmail({ email }) : null;
    if (!raced) throw error;
    return raced;
  }
}

/**
 * Matches an SSO sign-in to a Pillbox account by email, only when the identity provider says the
 * email is verified. A new email gets an account only as the sign-up policy allows.
 */
export async function resolveSsoUser(claims: SsoClaims): Promise<{ user: DbUser } | { refusal: SsoRefusal }> {
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email.includes("@")) return { refusal: "sso_no_email" };
  if (claims.email_verified !== true && claims.email_verified !== "true") return { refusal: "sso_unverified" };
  const user = await findOrCreate(claims, email);
  if (typeof user === "string") return { refusal: user };
  if (!canSignIn(user)) return { refusal: user.pendingApproval && !user.disabledAt && !user.deletedAt ? "sso_pending" : "sso_refused" };
  if (sso?.groupsClaim) await joinClaimedGroups(user, claimedGroupNames(claims[sso.groupsClaim]));
  return { user };
}
