import "server-only";
import { db } from "@/lib/db/client";
import type { Tx } from "@/lib/db/audit";

export const EVERYONE_GROUP_ID = "00000000-0000-4000-8000-000000000001";

const withModels = { models: { select: { modelId: true }, orderBy: { modelId: "asc" } } } as const;

export type GroupWithModels = NonNullable<Awaited<ReturnType<typeof getGroup>>>;

export const getGroup = ({ id }: { id: string }, client: Tx = db) =>
  client.group.findUnique({ where: { id }, include: withModels });

export const getGroupByName = ({ name }: { name: string }, client: Tx = db) =>
  client.group.findFirst({ where: { name: { equals: name, mode: "insensitive" } } });

/** Everyone first, then by name, with how many users each holds. */
export const listGroups = () =>
  db.group.findMany({
    orderBy: [{ builtin: "desc" }, { name: "asc" }],
    include: { ...withModels, _count: { select: { members: { where: { user: { deletedAt: null } } } } } },
  });

/** The groups whose rules apply to a user: Everyone, and every group they belong to. */
export const listAccessRulesForUser = ({ userId }: { userId: string }) =>
  db.group.findMany({
    where: { OR: [{ builtin: true }, { members: { some: { userId } } }] },
    select: {
      id: true,
      name: true,
      builtin: true,
      allModels: true,
      teeOnly: true,
      apiAccess: true,
      rpm: true,
      tpm: true,
      models: { select: { modelId: true } },
    },
    orderBy: [{ builtin: "desc" }, { name: "asc" }],
  });

export const countActiveUsers = () => db.user.count({ where: { deletedAt: null } });

export const listGroupMembers = ({ groupId }: { groupId: string }) =>
  db.groupMember.findMany({
    where: { groupId, user: { deletedAt: null } },
    select: { user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
    orderBy: { user: { name: "asc" } },
  });

export const listGroupIdsOfUsers = ({ userIds }: { userIds: string[] }) =>
  db.groupMember.findMany({ where: { userId: { in: userIds } }, select: { userId: true, groupId: true } });
