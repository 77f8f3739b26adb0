"use server";

import { headers } from "next/headers";
import type { FormState } from "@/app/(auth)/actions";
import { signIn } from "@/lib/auth";
import { acceptInvite, acceptInviteInput } from "@/lib/auth/invites";
import { linkTokenParams } from "@/lib/auth/link-token";
import { isAppError } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";

/** Creates the invited account and signs it in, landing in the chat. */
export async function acceptInviteAction(_: FormState, form: FormData): Promise<FormState> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const token = linkTokenParams.safeParse({ token: form.get("token") });
  if (!token.success) return { error: "This invite link is not valid.", values };
  const parsed = acceptInviteInput.safeParse({
    name: form.get("name"),
    password: form.get("password"),
    email: values.email === "" ? undefined : values.email,
  });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? "Check the form.", values };
  let email: string;
  try {
    email = (await acceptInvite(token.data.token, parsed.data, clientIp(await headers()))).email;
  } catch (error) {
    if (isAppError(error)) return { error: error.message, values };
    throw error;
  }
  await signIn("credentials", { email, password: parsed.data.password, redirectTo: "/" });
  return {};
}
