import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { removingFiles } from "@/lib/attachments/store";
import { publicUser } from "@/lib/auth/accounts";
import type { Tx } from "@/lib/db/audit";
import type { User } from "@/lib/db/generated/client";
import { closePasswordResets } from "@/lib/db/password-resets";
import { countActiveAdmins, lockAdminChanges } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export const accountChangeInput = z
  .object({
    disabled: z.boolean(),
    role: z.enum(["ADMIN", "MEMBER"]),
    name: z.string().trim().min(1).max(100),
    /** true lets a user who signed up and waits for approval in */
    approved: z.literal(true),
    /** requests / tokens per minute for this user; null = what their most generous group allows */
    rpm: z.number().int().min(0).max(100_000_000).nullable(),
    tpm: z.number().int().min(0).max(100_000_000).nullable(),
  })
  .partial()
  .refine((change) => Object.keys(change).length > 0, "Nothing to change.");

export type AccountChange = z.infer<typeof accountChangeInput>;

export const deleteAccountQuery = z.object({ chats: z.enum(["delete", "keep"]).default("keep") });

type AdminState = Pick<User, "role" | "disabledAt" | "deletedAt" | "pendingApproval">;

const isActiveAdmin = (user: AdminState) =>
  user.role === "ADMIN" && user.disabledAt === null && user.deletedAt === null && !user.pendingApproval;

/**
 * Refuses a change that would leave no active admin. Runs under a transaction-scoped advisory
 * lock, so two admins demoting each other at once cannot both pass the count.
 */
async function assertKeepsAnAdmin(tx: Tx, current: User, next: AdminState): Promise<void> {
  if (!isActiveAdmin(current) || isActiveAdmin(next)) return;
  if ((await countActiveAdmins(tx, { exceptId: current.id })) === 0) {
    throw new AppError("conflict:user", `${current.email} is the last active admin. Make someone else an admin first.`);
  }
}

async function requireLiveUser(tx: Tx, id: string): Promise<User> {
  const user = await tx.user.findUnique({ where: { id } });
  if (!user || user.deletedAt) throw new AppError("not_found:user", "User not found.");
  return user;
}

/** Disable or enable, change role, name or rate limits, approve. Disabling ends the user's sessions. */
export function changeAccount(actor: AuditActor, userId: string, change: AccountChange): Promise<User> {
  if (actor.id === userId && change.disabled) throw new AppError("forbidden:user", "You cannot disable yourself.");
  return withAudit(actor, async (tx, audit) => {
    await lockAdminChanges(tx);
    const current = await requireLiveUser(tx, userId);
    const disabledAt = change.disabled === undefined ? current.disabledAt : change.disabled ? (current.disabledAt ?? new Date()) : null;
    const next = {
      role: change.role ?? current.role,
      disabledAt,
      deletedAt: null,
      pendingApproval: change.approved ? false : current.pendingApproval,
    };
    await assertKeepsAnAdmin(tx, current, next);
    const disabling = current.disabledAt === null && disabledAt !== null;
    const updated = await tx.user.update({
      where: { id: userId },
      data: {
        ...next,
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.rpm !== undefined ? { rpm: change.rpm } : {}),
        ...(change.tpm !== undefined ? { tpm: change.tpm } : {}),
        ...(disabling ? { sessionVersion: { increment: 1 } } : {}),
      },
    });
    await audit({ action: "user.update", targetType: "user", targetId: userId, before: publicUser(current), after: publicUser(updated) });
    return updated;
  });
}

/**
 * Deletes an account as a tombstone: the row stays (usage rows keep pointing at it), the email is
 * freed, the password and group memberships go, and every session ends. Chats go or stay.
 */
export function deleteAccount(actor: AuditActor, userId: string, { chats }: z.infer<typeof deleteAccountQuery>): Promise<void> {
  if (actor.id === userId) throw new AppError("forbidden:user", "You cannot delete yourself.");
  const tombstone = () => withAudit(actor, async (tx, audit) => {
    await lockAdminChanges(tx);
    const current = await requireLiveUser(tx, userId);
    const now = new Date();
    await assertKeepsAnAdmin(tx, current, { ...current, deletedAt: now });
    const groups = await tx.groupMember.findMany({ where: { userId }, select: { group: { select: { id: true, name: true } } } });
    const deletedChats = chats === "delete" ? (await tx.chat.deleteMany({ where: { userId } })).count : 0;
    await tx.groupMember.deleteMany({ where: { userId } });
    await closePasswordResets(tx, { userId, now });
    await tx.user.update({
      where: { id: userId },
      data: {
        deletedAt: now,
        email: `deleted+${userId}@deleted.invalid`,
        passwordHash: null,
        sessionVersion: { increment: 1 },
      },
    });
    await audit({
      action: "user.delete",
      targetType: "user",
      targetId: userId,
      before: publicUser(current, groups.map((g) => g.group)),
      after: { deleted: true, chats: chats === "delete" ? "deleted" : "kept", deletedChats },
    });
  });
  return chats === "delete" ? removingFiles({ chatsOfUserId: userId }, tombstone) : tombstone();
}
