"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { credentialsSchema, PendingApproval, signIn, signOut } from "@/lib/auth";
import { OIDC_PROVIDER_ID } from "@/lib/auth/oidc";
import { setupFirstAdmin, setupInput } from "@/lib/auth/setup";
import { signUp, signupInput } from "@/lib/auth/signup";
import { consumeSignInAttempt, signInSucceeded } from "@/lib/auth/throttle";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";

export interface FormState {
  error?: string;
  /** What the user typed (never the password), so a failed attempt does not wipe the form. */
  values?: Record<string, string>;
}

function typed(form: FormData, ...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, String(form.get(name) ?? "")]));
}

const WRONG_CREDENTIALS = "Wrong email or password.";

/** Only same-site paths: a callbackUrl must never send the user to another origin. */
function safeRedirect(value: FormDataEntryValue | null): string {
  const path = typeof value === "string" ? value : "/";
  return path.startsWith("/") && !path.startsWith("//") ? path : "/";
}

/** Next's redirect() (thrown after a successful sign-in) rather than a real failure. */
function isRedirect(error: unknown): boolean {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith("NEXT_REDIRECT");
}

export async function signInAction(_: FormState, form: FormData): Promise<FormState> {
  const parsed = credentialsSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  const values = typed(form, "email");
  if (!parsed.success) return { error: WRONG_CREDENTIALS, values };
  const attempt = { email: parsed.data.email, ip: clientIp(await headers()) };
  try {
    await consumeSignInAttempt(attempt);
  } catch (error) {
    if (isAppError(error)) return { error: error.message, values };
    throw error;
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(form.get("callbackUrl")) });
  } catch (error) {
    if (error instanceof PendingApproval) return { error: "Your account is waiting for an admin's approval.", values };
    if (error instanceof AuthError) return { error: WRONG_CREDENTIALS, values };
    if (isRedirect(error)) await signInSucceeded(attempt);
    throw error; // the redirect after a successful sign-in
  }
  return {};
}

/** The "Sign in with …" button: off to the identity provider. */
export async function ssoSignInAction(form: FormData): Promise<void> {
  await signIn(OIDC_PROVIDER_ID, { redirectTo: safeRedirect(form.get("callbackUrl")) });
}

export async function signUpAction(_: FormState, form: FormData): Promise<FormState> {
  const parsed = signupInput.safeParse({ email: form.get("email"), name: form.get("name"), password: form.get("password") });
  const values = typed(form, "email", "name");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form.", values };
  let pending: boolean;
  try {
    pending = (await signUp(parsed.data)).pendingApproval;
  } catch (error) {
    if (isAppError(error)) return { error: error.message, values };
    throw error;
  }
  if (pending) redirect("/signup/pending");
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return {};
}

export async function setupAction(_: FormState, form: FormData): Promise<FormState> {
  const parsed = setupInput.safeParse({
    email: form.get("email"),
    name: form.get("name"),
    password: form.get("password"),
    token: form.get("token") ?? undefined,
  });
  const values = typed(form, "email", "name");
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form.", values };
  try {
    await setupFirstAdmin(parsed.data);
  } catch (error) {
    if (isAppError(error)) return { error: error.message, values };
    throw error;
  }
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/" });
  return {};
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}
