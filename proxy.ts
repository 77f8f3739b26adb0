import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/config";

/**
 * First line of defence: pages without a session redirect to /signin, APIs answer 401.
 * Every route handler checks the session again (lib/auth/session.ts).
 */
const { auth } = NextAuth(authConfig);
export default auth;

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
