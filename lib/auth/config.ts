import type { NextAuthConfig } from "next-auth";

/** Paths that work without a session. Everything else needs one (proxy + each handler). */
const publicPaths = [
  "/signin",
  "/signup",
  "/setup",
  "/api/auth",
  "/api/health",
  "/api/setup",
  "/api/signup",
  "/invite",
  "/reset",
  "/api/invite",
  "/api/reset",
];

export function isPublicPath(pathname: string): boolean {
  return publicPaths.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * The part of the Auth.js config that needs no database (sessions, pages, callbacks).
 * Providers (which need the database) are added in lib/auth/index.ts. The secret is Auth.js's
 * default, process.env.AUTH_SECRET, which lib/startup.ts fills in (from the database) before the
 * first request when it is not configured.
 */
export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.id = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.id;
      session.user.role = token.role;
      session.user.sessionVersion = token.sv ?? 0;
      return session;
    },
  },
} satisfies NextAuthConfig;
