"use server";

import { headers } from "next/headers";
import type { FormState } from "@/app/(auth)/actions";
import { signIn } from "@/lib/auth";
import { linkTokenParams } from "@/lib/auth/link-token";
import { newPasswordInput, redeemPasswordReset } from "@/lib/auth/password-resets";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";

/** Sets the new password (ending every older session) and signs this browser in. */
export async function resetPasswordAction(_: FormState, form: FormData): Promise<FormState> {
  const token = linkTokenParams.safeParse({ token: form.get("token") });
  if (!token.success) return { error: "This reset link is not valid." };
  const parsed = newPasswordInput.safeParse({ password: form.get("password") });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form." };
  let email: string;
  try {
    email = (await redeemPasswordReset(token.data.token, parsed.data.password, clientIp(await headers()))).email;
  } catch (error) {
    if (isAppError(error)) return { error: error.message };
    throw error;
  }
  await signIn("credentials", { email, password: parsed.data.password, redirectTo: "/" });
  return {};
}
