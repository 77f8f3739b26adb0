import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";

/** The columns a key is shown with (never its hash). */
export const keyColumns = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export const insertApiKey = (key: { userId: string; name: string; prefix: string; secretHash: string; expiresAt: Date | null }) =>
  db.apiKey.create({ data: key, select: keyColumns });

/** A user's keys that are not revoked, newest first. */
export const listLiveKeysOf = ({ userId }: { userId: string }) =>
  db.apiKey.findMany({ where: { userId, revokedAt: null }, select: keyColumns, orderBy: { createdAt: "desc" } });

export const countLiveKeysOf = ({ userId }: { userId: string }) => db.apiKey.count({ where: { userId, revokedAt: null } });

/** Every key (revoked ones too), newest first, with its owner. */
export const listAllKeys = ({ userId, take }: { userId?: string; take: number }) =>
  db.apiKey.findMany({
    where: userId ? { userId } : {},
    select: { ...keyColumns, user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "desc" },
    take,
  });

export const getKey = ({ id }: { id: string }, client: Tx = db) =>
  client.apiKey.findUnique({ where: { id }, select: { ...keyColumns, user: { select: { email: true } } } });

/** Revokes a key that is not revoked yet (of `userId` when given); the number of keys revoked (0 or 1). */
export async function revokeKey({ id, userId }: { id: string; userId?: string }, client: Tx = db): Promise<number> {
  const { count } = await client.apiKey.updateMany({
    where: { id, revokedAt: null, ...(userId ? { userId } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** A completion made through this key (its usage row, by RedPill's completion id), or null. */
export const findKeyCompletion = ({ upstreamId, apiKeyId, userId }: { upstreamId: string; apiKeyId: string; userId: string }) =>
  db.usageRecord.findFirst({ where: { upstreamId, apiKeyId, userId }, select: { id: true, modelId: true } });
