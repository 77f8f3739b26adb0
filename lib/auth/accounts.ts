import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import type { User } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db/unique-violation";

export const newAccountInput = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8).max(200),
  role: z.enum(["ADMIN", "MEMBER"]).default("MEMBER"),
});

type AccountFields = Pick<User, "id" | "email" | "name" | "role" | "disabledAt" | "pendingApproval" | "deletedAt" | "rpm" | "tpm">;

/** A user as the admin API answers it (never the password hash or session version). */
export function publicUser(user: AccountFields, groups?: { id: string; name: string }[]) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabledAt !== null,
    pending: user.pendingApproval,
    deleted: user.deletedAt !== null,
    rpm: user.rpm,
    tpm: user.tpm,
    ...(groups ? { groups } : {}),
  };
}

export type PublicUser = ReturnType<typeof publicUser>;

export const DUPLICATE_EMAIL = "A user with this email already exists.";

/**
 * The checked "is this email free" lookup cannot stop two requests racing; the unique index does,
 * and its violation (P2002) is the same 409 as the lookup's.
 */
export function duplicateEmailAsConflict(error: unknown): unknown {
  return isUniqueViolation(error) ? new AppError("conflict:user", DUPLICATE_EMAIL) : error;
}

export async function createAccount(actor: AuditActor, input: z.infer<typeof newAccountInput>) {
  const passwordHash = await hashPassword(input.password);
  const email = input.email.toLowerCase();
  try {
    return await withAudit(actor, async (tx, audit) => {
      if (await tx.user.findUnique({ where: { email } })) throw new AppError("conflict:user", DUPLICATE_EMAIL);
      const user = await tx.user.create({ data: { email, name: input.name, role: input.role, passwordHash } });
      await audit({ action: "user.create", targetType: "user", targetId: user.id, after: publicUser(user) });
      return user;
    });
  } catch (error) {
    throw duplicateEmailAsConflict(error);
  }
}
