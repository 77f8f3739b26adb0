import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import type { CurrentUser } from "@/lib/auth/session";
import { countLiveKeysOf, getKey, insertApiKey, listAllKeys, listLiveKeysOf, revokeKey } from "@/lib/db/api-keys";
import { accessRulesFor } from "@/lib/access/policy";
import { AppError } from "@/lib/errors";
import { apiAccessAllowed } from "@/lib/keys/access";
import { newSecret } from "@/lib/keys/secret";

/** Live keys one member may hold at once: plenty for every tool, and a bound on what a leak can spread. */
export const MAX_KEYS_PER_USER = 50;

export const newKeyInput = z.object({
  name: z.string().trim().min(1, "Give the key a name.").max(80),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type NewKeyInput = z.infer<typeof newKeyInput>;

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A key as the API answers it: never its secret or hash. */
export interface PublicKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface AdminKey extends PublicKey {
  revokedAt: string | null;
  status: "active" | "revoked" | "expired";
  user: { id: string; email: string; name: string };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function publicKey(row: KeyRow): PublicKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
  };
}

/** Whether a user's groups let them use the API (lib/keys/access.ts has the rule). */
export async function userHasApiAccess(user: Pick<CurrentUser, "id">): Promise<boolean> {
  return apiAccessAllowed(await accessRulesFor(user));
}

/** Creates a key for the caller: the secret is in this answer and nowhere else, ever. */
export async function createKey(user: CurrentUser, input: NewKeyInput): Promise<{ key: PublicKey; secret: string }> {
  if (!(await userHasApiAccess(user))) {
    throw new AppError("forbidden:key", "API access is turned off for one of your groups. Ask an admin.");
  }
  if ((await countLiveKeysOf({ userId: user.id })) >= MAX_KEYS_PER_USER) {
    throw new AppError("conflict:key", `You have ${MAX_KEYS_PER_USER} keys already. Revoke one you no longer use first.`);
  }
  const { secret, prefix, secretHash } = newSecret();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const row = await insertApiKey({ userId: user.id, name: input.name, prefix, secretHash, expiresAt });
  return { key: publicKey(row), secret };
}

export async function listOwnKeys(user: Pick<CurrentUser, "id">): Promise<PublicKey[]> {
  return (await listLiveKeysOf({ userId: user.id })).map(publicKey);
}

/** Revokes one of the caller's own keys; someone else's, or one already revoked, is a 404. */
export async function revokeOwnKey(user: Pick<CurrentUser, "id">, id: string): Promise<void> {
  if ((await revokeKey({ id, userId: user.id })) === 0) throw new AppError("not_found:key", "Key not found.");
}

export const adminKeyQuery = z.object({ userId: z.uuid().optional() });

export async function listKeysForAdmin({ userId }: { userId?: string } = {}): Promise<AdminKey[]> {
  const rows = await listAllKeys({ userId, take: 1000 });
  const now = Date.now();
  return rows.map((row) => ({
    ...publicKey(row),
    revokedAt: iso(row.revokedAt),
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt.getTime() <= now ? "expired" : "active",
    user: row.user,
  }));
}

/** An admin revokes anyone's key, with an audit row. */
export function revokeAnyKey(actor: AuditActor, id: string): Promise<void> {
  return withAudit(actor, async (tx, audit) => {
    const key = await getKey({ id }, tx);
    if (!key || key.revokedAt || (await revokeKey({ id }, tx)) === 0) throw new AppError("not_found:key", "Key not found.");
    await audit({
      action: "key.revoke",
      targetType: "key",
      targetId: id,
      before: { name: key.name, prefix: key.prefix, userId: key.userId, email: key.user.email },
    });
  });
}
