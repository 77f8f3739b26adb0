import "server-only";
import { withAudit } from "@/lib/audit/record";

/** Group names from the configured claim: a list, or one name. At most 100 are looked at. */
export function claimedGroupNames(value: unknown): string[] {
  const names = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  return names.filter((n): n is string => typeof n === "string" && n.trim() !== "").map((n) => n.trim()).slice(0, 100);
}

/**
 * Adds the user to the existing groups named in the claim (case-insensitive). Additive: leaving a
 * group at the identity provider does not remove anyone here. Each join is audited, with the
 * user as the actor and "sso" as the source.
 */
export async function joinClaimedGroups(user: { id: string; email: string }, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await withAudit({ id: user.id, email: user.email, ip: null }, async (tx, audit) => {
    const groups = await tx.group.findMany({
      where: { builtin: false, OR: names.map((name) => ({ name: { equals: name, mode: "insensitive" as const } })) },
      select: { id: true, name: true, members: { where: { userId: user.id }, select: { userId: true } } },
    });
    for (const group of groups.filter((g) => g.members.length === 0)) {
      const created = await tx.groupMember.createMany({ data: [{ groupId: group.id, userId: user.id }], skipDuplicates: true });
      if (created.count === 0) continue;
      await audit({
        action: "group.member.add",
        targetType: "group",
        targetId: group.id,
        after: { group: group.name, userId: user.id, email: user.email, source: "sso" },
      });
    }
  });
}
