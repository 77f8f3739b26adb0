import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";

export const insertPasswordReset = (
  tx: Tx,
  reset: { tokenHash: string; userId: string; expiresAt: Date; createdById: string | null },
) => tx.passwordReset.create({ data: reset });

export const getPasswordResetByTokenHash = ({ tokenHash }: { tokenHash: string }, client: Tx = db) =>
  client.passwordReset.findUnique({ where: { tokenHash }, include: { user: true } });

/** Marks an open reset link used, atomically (see claimInvite). 1 when claimed, else 0. */
export async function claimPasswordReset(tx: Tx, { tokenHash, now }: { tokenHash: string; now: Date }): Promise<number> {
  const { count } = await tx.passwordReset.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count;
}

/** Ends every open reset link of a user (a newer link, a deleted account). */
export const closePasswordResets = (tx: Tx, { userId, now }: { userId: string; now: Date }) =>
  tx.passwordReset.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
