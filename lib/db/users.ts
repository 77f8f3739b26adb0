import "server-only";
import { db } from "@/lib/db/client";
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

/** An account made by open sign-up or a first SSO sign-in (no password for SSO). */
export const createSelfServiceUser = (user: { email: string; name: string; passwordHash: string | null; pendingApproval: boolean }) =>
  db.user.create({ data: { ...user, email: user.email.toLowerCase(), role: "MEMBER" } });
