import "server-only";
import { z } from "zod";
import type { AuditActor } from "@/lib/audit/record";
import { withAudit } from "@/lib/audit/record";
import type { Tx } from "@/lib/db/audit";
import { countActiveUsers, getGroup, getGroupByName, listGroupMembers, listGroups, type GroupWithModels } from "@/lib/db/groups";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

const name = z.string().trim().min(1, "Give the group a name.").max(80);
const modelIds = z.array(z.string().min(1).max(200)).max(1000).nullable();
/** requests / tokens per minute for members; null = this group sets no limit */
const perMinute = z.number().int().min(0).max(100_000_000).nullable();

export const newGroupInput = z.object({
  name,
  modelIds: modelIds.optional(),
  teeOnly: z.boolean().optional(),
  apiAccess: z.boolean().optional(),
  requireVerified: z.boolean().optional(),
  rpm: perMinute.optional(),
  tpm: perMinute.optional(),
});
export const groupChangeInput = z
  .object({ name, modelIds, teeOnly: z.boolean(), requireVerified: z.boolean(), apiAccess: z.boolean(), rpm: perMinute, tpm: perMinute })
  .partial()
  .refine((change) => Object.keys(change).length > 0, "Nothing to change.");
export const memberInput = z.object({ userId: z.uuid() });

export type NewGroupInput = z.infer<typeof newGroupInput>;
export type GroupChange = z.infer<typeof groupChangeInput>;

/** A group as the admin API answers it. `modelIds: null` means "every enabled model". */
export interface PublicGroup {
  id: string;
  name: string;
  builtin: boolean;
  modelIds: string[] | null;
  teeOnly: boolean;
  /** false: members may not use personal API keys */
  apiAccess: boolean;
  /** a member's TEE reply that fails verification is flagged in the chat and audited */
  requireVerified: boolean;
  rpm: number | null;
  tpm: number | null;
  memberCount: number;
}

export function publicGroup(group: GroupWithModels, memberCount: number): PublicGroup {
  return {
    id: group.id,
    name: group.name,
    builtin: group.builtin,
    modelIds: group.allModels ? null : group.models.map((m) => m.modelId),
    teeOnly: group.teeOnly,
    apiAccess: group.apiAccess,
    requireVerified: group.requireVerified,
    rpm: group.rpm,
    tpm: group.tpm,
    memberCount,
  };
}

export async function listPublicGroups(): Promise<PublicGroup[]> {
  const [groups, everyone] = await Promise.all([listGroups(), countActiveUsers()]);
  return groups.map((group) => publicGroup(group, group.builtin ? everyone : group._count.members));
}

/** One group as the admin API answers it, or null when there is no such group. */
export async function findPublicGroup(id: string): Promise<PublicGroup | null> {
  const group = await getGroup({ id });
  return group ? publicGroup(group, await memberCount(db, group)) : null;
}

async function memberCount(tx: Tx, group: { id: string; builtin: boolean }): Promise<number> {
  if (group.builtin) return tx.user.count({ where: { deletedAt: null } });
  return tx.groupMember.count({ where: { groupId: group.id, user: { deletedAt: null } } });
}

async function assertKnownModels(tx: Tx, ids: string[] | null | undefined): Promise<string[] | null | undefined> {
  if (!ids) return ids;
  const unique = [...new Set(ids)];
  const known = await tx.model.findMany({ where: { id: { in: unique } }, select: { id: true } });
  const missing = unique.filter((id) => !known.some((m) => m.id === id));
  if (missing.length) throw new AppError("bad_request:group", `Unknown model${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  return unique;
}

async function assertNameFree(tx: Tx, groupName: string, exceptId?: string): Promise<void> {
  const taken = await getGroupByName({ name: groupName }, tx);
  if (taken && taken.id !== exceptId) throw new AppError("conflict:group", `A group named "${groupName}" already exists.`);
}

async function requireGroup(tx: Tx, id: string): Promise<GroupWithModels> {
  const group = await getGroup({ id }, tx);
  if (!group) throw new AppError("not_found:group", "Group not found.");
  return group;
}

export function createGroup(actor: AuditActor, input: NewGroupInput): Promise<PublicGroup> {
  return withAudit(actor, async (tx, audit) => {
    await assertNameFree(tx, input.name);
    const ids = await assertKnownModels(tx, input.modelIds);
    const created = await tx.group.create({
      data: {
        name: input.name,
        teeOnly: input.teeOnly ?? false,
        apiAccess: input.apiAccess ?? true,
        requireVerified: input.requireVerified ?? false,
        rpm: input.rpm ?? null,
        tpm: input.tpm ?? null,
        allModels: !ids,
        ...(ids ? { models: { create: ids.map((modelId) => ({ modelId })) } } : {}),
      },
    });
    const group = publicGroup(await requireGroup(tx, created.id), 0);
    await audit({ action: "group.create", targetType: "group", targetId: group.id, after: group });
    return group;
  });
}

export function updateGroup(actor: AuditActor, id: string, change: GroupChange): Promise<PublicGroup> {
  return withAudit(actor, async (tx, audit) => {
    const current = await requireGroup(tx, id);
    const count = await memberCount(tx, current);
    const before = publicGroup(current, count);
    if (change.name !== undefined && change.name !== current.name) {
      if (current.builtin) throw new AppError("conflict:group", "The Everyone group cannot be renamed.");
      await assertNameFree(tx, change.name, id);
    }
    const ids = await assertKnownModels(tx, change.modelIds);
    await tx.group.update({
      where: { id },
      data: {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.teeOnly !== undefined ? { teeOnly: change.teeOnly } : {}),
        ...(change.apiAccess !== undefined ? { apiAccess: change.apiAccess } : {}),
        ...(change.requireVerified !== undefined ? { requireVerified: change.requireVerified } : {}),
        ...(change.rpm !== undefined ? { rpm: change.rpm } : {}),
        ...(change.tpm !== undefined ? { tpm: change.tpm } : {}),
        ...(ids !== undefined ? { allModels: ids === null } : {}),
      },
    });
    if (ids !== undefined) {
      await tx.groupModel.deleteMany({ where: { groupId: id } });
      if (ids) await tx.groupModel.createMany({ data: ids.map((modelId) => ({ groupId: id, modelId })) });
    }
    const after = publicGroup(await requireGroup(tx, id), count);
    await audit({ action: "group.update", targetType: "group", targetId: id, before, after });
    return after;
  });
}

export function deleteGroup(actor: AuditActor, id: string): Promise<void> {
  return withAudit(actor, async (tx, audit) => {
    const current = await requireGroup(tx, id);
    if (current.builtin) throw new AppError("conflict:group", "The Everyone group cannot be deleted.");
    const before = publicGroup(current, await memberCount(tx, current));
    await tx.group.delete({ where: { id } });
    await audit({ action: "group.delete", targetType: "group", targetId: id, before });
  });
}

async function requireMemberTargets(tx: Tx, groupId: string, userId: string) {
  const group = await requireGroup(tx, groupId);
  if (group.builtin) throw new AppError("conflict:group", "Everyone already holds every user; its members cannot be changed.");
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user || user.deletedAt) throw new AppError("not_found:user", "User not found.");
  return { group, user };
}

/** Adds a user to a group; adding an existing member changes nothing and writes no audit row. */
export function addGroupMember(actor: AuditActor, groupId: string, userId: string): Promise<{ added: boolean }> {
  return withAudit(actor, async (tx, audit) => {
    const { group, user } = await requireMemberTargets(tx, groupId, userId);
    const created = await tx.groupMember.createMany({ data: [{ groupId, userId }], skipDuplicates: true });
    if (created.count === 0) return { added: false };
    await audit({
      action: "group.member.add",
      targetType: "group",
      targetId: groupId,
      after: { group: group.name, userId, email: user.email },
    });
    return { added: true };
  });
}

export function removeGroupMember(actor: AuditActor, groupId: string, userId: string): Promise<void> {
  return withAudit(actor, async (tx, audit) => {
    const { group, user } = await requireMemberTargets(tx, groupId, userId);
    const removed = await tx.groupMember.deleteMany({ where: { groupId, userId } });
    if (removed.count === 0) throw new AppError("not_found:group", `${user.email} is not a member of ${group.name}.`);
    await audit({
      action: "group.member.remove",
      targetType: "group",
      targetId: groupId,
      before: { group: group.name, userId, email: user.email },
    });
  });
}

/** The members of a group (none for Everyone, which holds every user without rows), or 404. */
export async function groupMembers(groupId: string) {
  const [group, members] = await Promise.all([getGroup({ id: groupId }), listGroupMembers({ groupId })]);
  if (!group) throw new AppError("not_found:group", "Group not found.");
  return members.map((m) => m.user);
}
