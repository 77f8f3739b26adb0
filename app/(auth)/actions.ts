"use server";

import { AuthError } from "next-auth";
import { credentialsSchema, signIn, signOut } from "@/lib/auth";
import { setupFirstAdmin, setupInput } from "@/lib/auth/setup";
import { isAppError } from "@/lib/errors";

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

export async function signInAction(_: FormState, form: FormData): Promise<FormState> {
  const parsed = credentialsSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  const values = typed(form, "email");
  if (!parsed.success) return { error: WRONG_CREDENTIALS, values };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(form.get("callbackUrl")) });
  } catch (error) {
    if (error instanceof AuthError) return { error: WRONG_CREDENTIALS, values };
    throw error; // the redirect after a successful sign-in
  }
  return {};
}

export async function setupAction(_: FormState, form: FormData): Promise<FormState> {
  const parsed = setupInput.safeParse({
    email: form.get("email"),
    name: form.get("name"),
    password: form.get("password"),
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
