import "server-only";
import { z } from "zod";
import { accessRulesFor, listUsableModels } from "@/lib/access/policy";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import type { CurrentUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { toModelOption } from "@/lib/redpill/model-option";

export const profileChangeInput = z.object({ name: z.string().trim().min(1, "Enter your name.").max(100) });

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200),
  newPassword: z.string().min(8, "Use at least 8 characters.").max(200),
});

/** The signed-in user's own view: who they are, their groups (Everyone first) and their models. */
export async function myProfile(user: CurrentUser) {
  const [rules, models] = await Promise.all([accessRulesFor(user), listUsableModels(user)]);
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role, hasPassword: user.passwordHash !== null },
    groups: rules.map((group) => ({ id: group.id, name: group.name })),
    models: models.map(toModelOption),
  };
}

const selfActor = (user: CurrentUser, ip: string | null): AuditActor => ({ id: user.id, email: user.email, ip });

export function renameMe(user: CurrentUser, name: string, ip: string | null) {
  return withAudit(selfActor(user, ip), async (tx, audit) => {
    const updated = await tx.user.update({ where: { id: user.id }, data: { name } });
    await audit({ action: "user.profile.update", targetType: "user", targetId: user.id, before: { name: user.name }, after: { name } });
    return updated;
  });
}

/** Needs the current password; ends every session, this one included (the caller signs it in again). */
export async function changeMyPassword(user: CurrentUser, input: z.infer<typeof passwordChangeInput>, ip: string | null) {
  if (user.passwordHash === null) {
    throw new AppError("bad_request:user", "Your account signs in through single sign-on and has no password here.");
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("forbidden:user", "Your current password is not right.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await withAudit(selfActor(user, ip), async (tx, audit) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await audit({ action: "user.password.change", targetType: "user", targetId: user.id });
  });
}

export function signOutEverywhere(user: CurrentUser, ip: string | null) {
  return withAudit(selfActor(user, ip), async (tx, audit) => {
    await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    await audit({ action: "user.sign_out_everywhere", targetType: "user", targetId: user.id });
  });
}
