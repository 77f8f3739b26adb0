/** What the sign-in page says for an `?error=` (ours from lib/auth/sso.ts, or Auth.js's). */
const messages: Record<string, string> = {
  sso_no_email: "Your identity provider did not share an email address, so Pillbox cannot find your account.",
  sso_unverified: "Your identity provider has not verified your email address, so Pillbox cannot match it to an account.",
  sso_invite: "There is no Pillbox account for this email. Pillbox is invite-only here: ask an admin for an invite.",
  sso_domain: "Sign-up is not open to this email domain. Ask an admin for an invite.",
  sso_pending: "Your account is waiting for an admin's approval.",
  sso_refused: "This account cannot sign in. Ask an admin.",
  pending: "Your account is waiting for an admin's approval.",
  CredentialsSignin: "Wrong email or password.",
};

const GENERIC = "Sign-in did not work. Try again, or ask an admin.";

export function signInErrorMessage(error: string | undefined, code?: string): string | null {
  if (!error) return null;
  if (code && messages[code]) return messages[code];
  return messages[error] ?? GENERIC;
}
