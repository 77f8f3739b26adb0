import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { duplicateEmailAsConflict, DUPLICATE_EMAIL } from "@/lib/auth/accounts";
import { hashLinkToken, newLinkToken } from "@/lib/auth/link-token";
import { linkProblem, linkStatus, type LinkStatus } from "@/lib/auth/link-status";
import { hashPassword } from "@/lib/auth/password";
import { insertAuditEntry, type Tx } from "@/lib/db/audit";
import type { Invite, User } from "@/lib/db/generated/client";
import { claimInvite, getInvite, getInviteByTokenHash, insertInvite, listInvites, markInviteRevoked, setInviteUser } from "@/lib/db/invites";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const newInviteInput = z.object({
  role: z.enum(["ADMIN", "MEMBER"]).default("MEMBER"),
  groupIds: z.array(z.uuid()).max(100).default([]),
  email: z.email().max(254).optional(),
  expiresInHours: z.number().int().min(1).max(720).default(168),
});

export const acceptInviteInput = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(100),
  password: z.string().min(8, "Use at least 8 characters.").max(200),
  email: z.email("Enter a valid email address.").max(254).optional(),
});

export type NewInviteInput = z.infer<typeof newInviteInput>;

/** An invite as the admin API lists it: never its token (which is not stored) nor its hash. */
export interface PublicInvite {
  id: string;
  role: "ADMIN" | "MEMBER";
  email: string | null;
  groups: { id: string; name: string }[];
  status: LinkStatus;
  expiresAt: string;
  createdAt: string;
  createdById: string | null;
  usedAt: string | null;
  usedById: string | null;
  revokedAt: string | null;
}

async function groupNames(ids: string[], client: Tx = db): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const groups = await client.group.findMany({ where: { id: { in: ids }, builtin: false }, select: { id: true, name: true } });
  return new Map(groups.map((g) => [g.id, g.name]));
}

function publicInvite(invite: Invite, names: Map<string, string>): PublicInvite {
  return {
    id: invite.id,
    role: invite.role,
    email: invite.email,
    groups: invite.groupIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
    status: linkStatus(invite),
    expiresAt: invite.expiresAt.toISOString(),
    createdAt: invite.createdAt.toISOString(),
    createdById: invite.createdById,
    usedAt: invite.usedAt?.toISOString() ?? null,
    usedById: invite.usedById,
    revokedAt: invite.revokedAt?.toISOString() ?? null,
  };
}

export async function listPublicInvites(): Promise<PublicInvite[]> {
  const invites = await listInvites();
  const names = await groupNames([...new Set(invites.flatMap((i) => i.groupIds))]);
  return invites.map((invite) => publicInvite(invite, names));
}

/** Unknown groups are a 400 naming them; the builtin Everyone group needs no membership and is dropped. */
async function checkedGroupIds(tx: Tx, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const found = await tx.group.findMany({ where: { id: { in: unique } }, select: { id: true, builtin: true } });
  const missing = unique.filter((id) => !found.some((g) => g.id === id));
  if (missing.length) throw new AppError("bad_request:invite", `Unknown group${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  return found.filter((g) => !g.builtin).map((g) => g.id);
}

/** Makes a single-use sign-up link. The token is returned once, in the URL; only its hash is kept. */
export function createInvite(actor: AuditActor, input: NewInviteInput, origin: string) {
  const token = newLinkToken();
  return withAudit(actor, async (tx, audit) => {
    const email = input.email?.toLowerCase() ?? null;
    if (email && (await tx.user.findUnique({ where: { email } }))) throw new AppError("conflict:user", DUPLICATE_EMAIL);
    const groupIds = await checkedGroupIds(tx, input.groupIds);
    const invite = await insertInvite(tx, {
      tokenHash: hashLinkToken(token),
      role: input.role,
      email,
      groupIds,
      expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
      createdById: actor.id,
    });
    await audit({ action: "invite.create", targetType: "invite", targetId: invite.id, after: publicInvite(invite, await groupNames(groupIds, tx)) });
    return { id: invite.id, url: `${origin}/invite/${token}`, expiresAt: invite.expiresAt.toISOString() };
  });
}

export function revokeInvite(actor: AuditActor, id: string): Promise<void> {
  return withAudit(actor, async (tx, audit) => {
    const invite = await getInvite({ id }, tx);
    if (!invite) throw new AppError("not_found:invite", "Invite not found.");
    const now = new Date();
    if ((await markInviteRevoked(tx, { id, now })) === 0) {
      throw new AppError("conflict:invite", `This invite is already ${linkStatus(invite)}.`);
    }
    await audit({ action: "invite.revoke", targetType: "invite", targetId: id, before: { status: linkStatus(invite) }, after: { status: "revoked" } });
  });
}

/** What the invite page shows about a link, or its problem. */
export async function describeInvite(token: string) {
  const invite = await getInviteByTokenHash({ tokenHash: hashLinkToken(token) });
  if (!invite) return { status: "unknown" as const };
  const status = linkStatus(invite);
  if (status !== "pending") return { status, problem: linkProblem[status] };
  const [inviter, names] = await Promise.all([
    invite.createdById ? db.user.findUnique({ where: { id: invite.createdById }, select: { name: true } }) : null,
    groupNames(invite.groupIds),
  ]);
  return {
    status,
    role: invite.role,
    email: invite.email,
    invitedBy: inviter?.name ?? null,
    groups: [...names.values()],
    expiresAt: invite.expiresAt.toISOString(),
  };
}

async function refuseInvite(tx: Tx, tokenHash: string): Promise<never> {
  const invite = await getInviteByTokenHash({ tokenHash }, tx);
  if (!invite) throw new AppError("not_found:invite", "This invite link is not valid.");
  const status = linkStatus(invite);
  throw new AppError("conflict:invite", status === "pending" ? "This invite cannot be used now." : linkProblem[status]);
}

/**
 * Creates the account an invite describes, once. Claiming the invite, creating the user and their
 * group memberships happen in one transaction: a duplicate email rolls everything back (409) and
 * the link stays usable.
 */
export async function acceptInvite(token: string, input: z.infer<typeof acceptInviteInput>, ip: string | null): Promise<User> {
  const tokenHash = hashLinkToken(token);
  const passwordHash = await hashPassword(input.password);
  const typedEmail = input.email?.toLowerCase();
  try {
    return await db.$transaction(async (tx) => {
      const now = new Date();
      if ((await claimInvite(tx, { tokenHash, now })) === 0) await refuseInvite(tx, tokenHash);
      const invite = (await getInviteByTokenHash({ tokenHash }, tx))!;
      const email = invite.email ?? typedEmail;
      if (!email) throw new AppError("bad_request:invite", "Enter your email address.");
      if (await tx.user.findUnique({ where: { email } })) throw new AppError("conflict:user", DUPLICATE_EMAIL);
      const user = await tx.user.create({ data: { email, name: input.name, role: invite.role, passwordHash } });
      const groupIds = [...(await groupNames(invite.groupIds, tx)).keys()];
      if (groupIds.length) await tx.groupMember.createMany({ data: groupIds.map((groupId) => ({ groupId, userId: user.id })) });
      await setInviteUser(tx, { tokenHash, userId: user.id });
      await insertAuditEntry(tx, {
        actorId: user.id,
        actorEmail: user.email,
        ip,
        action: "invite.accept",
        targetType: "invite",
        targetId: invite.id,
        after: { userId: user.id, email: user.email, role: user.role, groupIds },
      });
      return user;
    });
  } catch (error) {
    throw duplicateEmailAsConflict(error);
  }
}
