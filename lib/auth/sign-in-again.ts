import "server-only";
import { signIn } from "@/lib/auth";

/**
 * Issues this browser a fresh session cookie (at the user's new session version) from a route
 * handler or server action, without a redirect.
 */
export async function signInAgain(email: string, password: string): Promise<void> {
  await signIn("credentials", { email, password, redirect: false });
}
