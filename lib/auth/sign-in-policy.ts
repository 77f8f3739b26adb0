import "server-only";
import { sso } from "@/lib/auth/oidc";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

/**
 * Passwords work unless an admin turned them off — and that only counts while single sign-on is
 * configured, so nobody is locked out by removing AUTH_OIDC_* later.
 */
export async function passwordSignInAllowed(): Promise<boolean> {
  if (!sso) return true;
  return (await getWorkspaceSettings()).passwordLogin;
}
