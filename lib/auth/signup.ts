import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { passwordSignInAllowed } from "@/lib/auth/sign-in-policy";
import { createSelfServiceUser, getUserByEmail } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { getWorkspaceSettings, type WorkspaceSettings } from "@/lib/workspace/settings";

export const signupInput = z.object({
  email: z.email("Enter a valid email address.").max(254),
  name: z.string().trim().min(1, "Enter your name.").max(100),
  password: z.string().min(8, "Use at least 8 characters.").max(200),
});

export type SignupInput = z.infer<typeof signupInput>;

/** Why the sign-up policy refuses a new account: invite-only, or a domain that is not listed. */
export type SignupRefusal = "invite" | "domain";

export const signupRefusalMessage: Record<SignupRefusal, string> = {
  invite: "Pillbox is invite-only here. Ask an admin for an invite.",
  domain: "Sign-up is not open to this email domain. Ask an admin for an invite.",
};

/** Open sign-up admits exactly the listed domains; with none listed, nobody. */
export function signupRefusal(settings: WorkspaceSettings, email: string): SignupRefusal | null {
  if (settings.signupMode !== "open") return "invite";
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return settings.signupDomains.includes(domain) ? null : "domain";
}

/** Open sign-up with a password. Pending (when approval is required) until an admin approves. */
export async function signUp(input: SignupInput) {
  const settings = await getWorkspaceSettings();
  const refusal = signupRefusal(settings, input.email);
  if (refusal) throw new AppError("forbidden:auth", signupRefusalMessage[refusal]);
  if (!(await passwordSignInAllowed())) {
    throw new AppError("forbidden:auth", "Passwords are turned off here. Use single sign-on instead.");
  }
  // Refused before hashing, so duplicates cost no bcrypt round.
  if (await getUserByEmail({ email: input.email })) {
    throw new AppError("conflict:user", "An account with this email already exists. Sign in instead.");
  }
  return createSelfServiceUser({
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
    pendingApproval: settings.signupRequiresApproval,
  });
}
