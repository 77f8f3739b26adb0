import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";
import type { Role } from "@/lib/db/generated/enums";

export const countUsers = () => db.user.count();

export const getUserByEmail = ({ email }: { email: string }) =>
  db.user.findUnique({ where: { email: email.toLowerCase() } });

export const getUserById = ({ id }: { id: string }) => db.user.findUnique({ where: { id } });

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
}

export const createUser = (user: NewUser) =>
  db.user.create({ data: { ...user, email: user.email.toLowerCase() } });

/**
 * Creates the first admin only while no user exists. The advisory lock serialises concurrent
 * setups across app instances, so two browsers racing on /setup cannot both win.
 */
export async function createFirstAdmin(user: Omit<NewUser, "role">) {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727001)`;
    if ((await tx.user.count()) > 0) return null;
    return tx.user.create({ data: { ...user, email: user.email.toLowerCase(), role: "ADMIN" } });
  });
}

export const listUsers = () => db.user.findMany({ orderBy: { createdAt: "asc" } });

export const updateUser = ({ id, ...data }: { id: string; role?: Role; disabledAt?: Date | null }) =>
  db.user.update({ where: { id }, data });

/** Everyone but deleted users, with the groups they belong to. */
export const listLiveUsersWithGroups = () =>
  db.user.findMany({
    where: { deletedAt: null },
    orderBy: { createdAt: "asc" },
    include: { groups: { select: { group: { select: { id: true, name: true } } }, orderBy: { group: { name: "asc" } } } },
  });

/** Held until the transaction ends: changes that could remove the last admin run one at a time. */
export const lockAdminChanges = (tx: Tx) => tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;

/** Admins who can act: not disabled, not deleted, not waiting for approval. */
export const countActiveAdmins = (tx: Tx, { exceptId }: { exceptId?: string } = {}) =>
  tx.user.count({
    where: { role: "ADMIN", disabledAt: null, deletedAt: null, pendingApproval: false, ...(exceptId ? { id: { not: exceptId } } : {}) },
  });

/** Ends every session of the user on its next request. */
export const bumpSessionVersion = (tx: Tx, { id }: { id: string }) =>
  tx.user.update({ where: { id }, data: { sessionVersion: { increment: 1 } } });

/** An account made by open sign-up or a first SSO sign-in (no password for SSO). */
export const createSelfServiceUser = (user: { email: string; name: string; passwordHash: string | null; pendingApproval: boolean }) =>
  db.user.create({ data: { ...user, email: user.email.toLowerCase(), role: "MEMBER" } });
