import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { hashLinkToken, newLinkToken } from "@/lib/auth/link-token";
import { linkProblem, linkStatus } from "@/lib/auth/link-status";
import { hashPassword } from "@/lib/auth/password";
import { canSignIn } from "@/lib/auth/session-rules";
import { insertAuditEntry } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { claimPasswordReset, closePasswordResets, getPasswordResetByTokenHash, insertPasswordReset } from "@/lib/db/password-resets";
import { AppError } from "@/lib/errors";

const RESET_HOURS = 24;

export const newPasswordInput = z.object({ password: z.string().min(8, "Use at least 8 characters.").max(200) });

/** An admin's one-time link that lets a user set a new password. A newer link replaces older ones. */
export function createPasswordReset(actor: AuditActor, userId: string, origin: string) {
  const token = newLinkToken();
  return withAudit(actor, async (tx, audit) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.deletedAt) throw new AppError("not_found:user", "User not found.");
    const now = new Date();
    await closePasswordResets(tx, { userId, now });
    const reset = await insertPasswordReset(tx, {
      tokenHash: hashLinkToken(token),
      userId,
      expiresAt: new Date(now.getTime() + RESET_HOURS * 3_600_000),
      createdById: actor.id,
    });
    await audit({
      action: "user.password_reset.create",
      targetType: "user",
      targetId: userId,
      after: { resetId: reset.id, email: user.email, expiresAt: reset.expiresAt },
    });
    return { url: `${origin}/reset/${token}`, expiresAt: reset.expiresAt.toISOString() };
  });
}

export async function describePasswordReset(token: string) {
  const reset = await getPasswordResetByTokenHash({ tokenHash: hashLinkToken(token) });
  if (!reset || reset.user.deletedAt) return { status: "unknown" as const };
  const status = linkStatus(reset);
  if (status !== "pending") return { status, problem: linkProblem[status] };
  return { status, email: reset.user.email, name: reset.user.name };
}

/**
 * Sets the new password once, and ends every session the user had (the old password may be
 * what leaked). Returns the account's email, to sign this browser in.
 */
export async function redeemPasswordReset(token: string, password: string, ip: string | null): Promise<{ email: string }> {
  const tokenHash = hashLinkToken(token);
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    const now = new Date();
    const claimed = await claimPasswordReset(tx, { tokenHash, now });
    const reset = await getPasswordResetByTokenHash({ tokenHash }, tx);
    if (!reset || reset.user.deletedAt) throw new AppError("not_found:user", "This reset link is not valid.");
    if (claimed === 0) {
      const status = linkStatus(reset);
      throw new AppError("conflict:user", status === "pending" ? "This link cannot be used now." : linkProblem[status]);
    }
    if (!canSignIn(reset.user)) throw new AppError("forbidden:user", "This account is disabled. Ask an admin.");
    const user = await tx.user.update({
      where: { id: reset.userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    await insertAuditEntry(tx, {
      actorId: user.id,
      actorEmail: user.email,
      ip,
      action: "user.password_reset.use",
      targetType: "user",
      targetId: user.id,
    });
    return { email: user.email };
  });
}
