import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { assertSetupToken } from "@/lib/auth/setup-token";
import { countUsers, createFirstAdmin } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export const setupInput = z.object({
  email: z.email("Enter a valid email address.").max(254),
  name: z.string().trim().min(1, "Enter your name.").max(100),
  password: z.string().min(8, "Use at least 8 characters.").max(200),
  /** PILLBOX_SETUP_TOKEN, when the server has one (the API also takes it in a header). */
  token: z.string().max(500).optional(),
});

export type SetupInput = z.infer<typeof setupInput>;

const ALREADY_DONE = "Setup is already done. Sign in instead.";

/**
 * First-run setup: creates the first admin, and only while no user exists (409 after). With
 * PILLBOX_SETUP_TOKEN set, only with that token (403 before anything else is looked at).
 */
export async function setupFirstAdmin(input: SetupInput) {
  assertSetupToken(input.token);
  // Checked before hashing: once a user exists, this public endpoint must not cost a bcrypt round.
  if ((await countUsers()) > 0) throw new AppError("conflict:setup", ALREADY_DONE);
  const admin = await createFirstAdmin({
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
  });
  if (!admin) throw new AppError("conflict:setup", ALREADY_DONE);
  return admin;
}
