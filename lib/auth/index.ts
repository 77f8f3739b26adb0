import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "@/lib/auth/config";
import { oidcProvider, OIDC_PROVIDER_ID } from "@/lib/auth/oidc";
import { verifyPassword } from "@/lib/auth/password";
import { canSignIn } from "@/lib/auth/session-rules";
import { passwordSignInAllowed } from "@/lib/auth/sign-in-policy";
import { mergeClaims, resolveSsoUser } from "@/lib/auth/sso";
import { getUserByEmail } from "@/lib/db/users";

export const credentialsSchema = z.object({
  email: z.email().max(254),
  password: z.string().min(1).max(200),
});

/** The right password for an account an admin has not approved yet. */
export class PendingApproval extends CredentialsSignin {
  code = "pending";
}

const oidc = oidcProvider();

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        if (!(await passwordSignInAllowed())) return null;
        const user = await getUserByEmail({ email: parsed.data.email });
        const ok = await verifyPassword(parsed.data.password, user?.passwordHash);
        if (!user || !ok) return null;
        if (!canSignIn(user)) {
          if (user.pendingApproval && !user.disabledAt && !user.deletedAt) throw new PendingApproval();
          return null;
        }
        return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion };
      },
    }),
    ...(oidc ? [oidc] : []),
  ],
  callbacks: {
    ...authConfig.callbacks,
    /**
     * SSO: the identity provider's user becomes the Pillbox account with the same verified email
     * (JWT sessions, no Auth.js adapter). The jwt callback then takes id, role and session
     * version from it. A refusal goes back to /signin with a reason.
     */
    async signIn({ user, account, profile }) {
      if (account?.provider !== OIDC_PROVIDER_ID) return true;
      const result = await resolveSsoUser(mergeClaims(profile, account.id_token));
      if ("refusal" in result) return `/signin?error=${result.refusal}`;
      Object.assign(user, {
        id: result.user.id,
        email: result.user.email,
        name: result.user.name,
        role: result.user.role,
        sessionVersion: result.user.sessionVersion,
      });
      return true;
    },
  },
});
