import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";
import type { Role } from "@/lib/db/generated/enums";

export interface NewInvite {
  tokenHash: string;
  role: Role;
  email: string | null;
  groupIds: string[];
  expiresAt: Date;
  createdById: string | null;
}

export const insertInvite = (tx: Tx, invite: NewInvite) => tx.invite.create({ data: invite });

/** Newest first. */
export const listInvites = () => db.invite.findMany({ orderBy: { createdAt: "desc" }, take: 200 });

export const getInvite = ({ id }: { id: string }, client: Tx = db) => client.invite.findUnique({ where: { id } });

export const getInviteByTokenHash = ({ tokenHash }: { tokenHash: string }, client: Tx = db) =>
  client.invite.findUnique({ where: { tokenHash } });

/**
 * Marks an open invite used, atomically: of two requests racing with the same link, only one
 * matches the row (the other waits on its lock, then finds usedAt set). 1 when claimed, else 0.
 */
export async function claimInvite(tx: Tx, { tokenHash, now }: { tokenHash: string; now: Date }): Promise<number> {
  const { count } = await tx.invite.updateMany({
    where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count;
}

export const setInviteUser = (tx: Tx, { tokenHash, userId }: { tokenHash: string; userId: string }) =>
  tx.invite.update({ where: { tokenHash }, data: { usedById: userId } });

/** Revokes an invite that is still open; 0 when it was already used or revoked. */
export async function markInviteRevoked(tx: Tx, { id, now }: { id: string; now: Date }): Promise<number> {
  const { count } = await tx.invite.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
  return count;
}
