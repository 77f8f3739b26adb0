import "server-only";
import { z } from "zod";
import { hashPassword } from "@/lib/auth/password";
import { createUser, getUserByEmail, getUserById, updateUser } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export const newAccountInput = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(200),
  role: z.enum(["ADMIN", "MEMBER"]).default("MEMBER"),
});

export const accountChangeInput = z
  .object({ disabled: z.boolean(), role: z.enum(["ADMIN", "MEMBER"]) })
  .partial()
  .refine((change) => Object.keys(change).length > 0, "Nothing to change.");

export function publicUser(user: { id: string; email: string; name: string; role: string; disabledAt: Date | null }) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, disabled: user.disabledAt !== null };
}

export async function createAccount(input: z.infer<typeof newAccountInput>) {
  if (await getUserByEmail({ email: input.email })) {
    throw new AppError("conflict:user", "A user with this email already exists.");
  }
  const { password, ...rest } = input;
  return createUser({ ...rest, passwordHash: await hashPassword(password) });
}

/** Admins change others' status; nobody can lock themselves out. */
export async function changeAccount({
  actorId,
  userId,
  change,
}: {
  actorId: string;
  userId: string;
  change: z.infer<typeof accountChangeInput>;
}) {
  if (actorId === userId) throw new AppError("forbidden:user", "You cannot disable or demote yourself.");
  if (!(await getUserById({ id: userId }))) throw new AppError("not_found:user", "User not found.");
  return updateUser({
    id: userId,
    ...(change.role ? { role: change.role } : {}),
    ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? new Date() : null }),
  });
}
