import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { createFirstAdmin } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export const setupInput = z.object({
  email: z.email("Enter a valid email address.").max(254),
  name: z.string().trim().min(1, "Enter your name.").max(100),
  password: z.string().min(8, "Use at least 8 characters.").max(200),
});

export type SetupInput = z.infer<typeof setupInput>;

/** First-run setup: creates the first admin, and only while no user exists (409 after). */
export async function setupFirstAdmin(input: SetupInput) {
  const admin = await createFirstAdmin({
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
  });
  if (!admin) throw new AppError("conflict:setup", "Setup is already done. Sign in instead.");
  return admin;
}
