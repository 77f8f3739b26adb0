import { notFound } from "next/navigation";
import { z } from "zod";
import { DeleteGroupButton, GroupModelSummary, RenameGroupForm } from "@/components/admin-groups";
import { BudgetEditor } from "@/components/admin-budgets";
import { GroupApiAccess } from "@/components/admin-group-api-access";
import { AdminDetailHeader } from "@/components/admin-page-header";
import { LimitsForm } from "@/components/admin-limits";
import { GroupMembers } from "@/components/admin-groups-members";
import { GroupModelsEditor } from "@/components/admin-groups-models";
import { GroupVerificationPolicy } from "@/components/admin-group-verification";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { findPublicGroup, groupMembers } from "@/lib/access/groups";
import { requirePageAdmin } from "@/lib/auth/session";
import { listPublicBudgets } from "@/lib/budgets/manage";
import { listAllModels } from "@/lib/db/models";
import { listUsers } from "@/lib/db/users";

export const metadata = { title: "Group · Pillbox admin" };

export default async function GroupPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAdmin();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const group = await findPublicGroup(id.data);
  if (!group) notFound();
  const [models, members, users, budgets] = await Promise.all([
    listAllModels(),
    group.builtin ? Promise.resolve([]) : groupMembers(group.id),
    group.builtin ? Promise.resolve([]) : listUsers(),
    listPublicBudgets(),
  ]);
  const memberIds = new Set(members.map((m) => m.id));
  const candidates = users.filter((u) => !u.deletedAt && !memberIds.has(u.id));
  const catalog = models.map((m) => ({ id: m.id, name: m.displayName ?? m.name, isTee: m.isTee, enabled: m.enabled }));

  return (
    <div className="flex flex-col gap-6">
      <AdminDetailHeader
        back={{ href: "/admin/groups", label: "Groups" }}
        title={group.name}
        badges={group.builtin && <Badge variant="secondary">built-in</Badge>}
        actions={!group.builtin && <DeleteGroupButton groupId={group.id} name={group.name} />}
      >
        {group.memberCount} {group.memberCount === 1 ? "member" : "members"} ·{" "}
        <GroupModelSummary modelIds={group.modelIds} teeOnly={group.teeOnly} />
      </AdminDetailHeader>

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)] lg:items-start">
        <Card>
          <CardHeader>
            <CardTitle>Models</CardTitle>
            <CardDescription>
              {group.builtin
                ? "What every user may use. Restrict it to give models only to the groups you choose."
                : "What members of this group may use, on top of what Everyone allows."}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <GroupModelsEditor
              key={`${group.modelIds?.join(",") ?? "all"}:${group.teeOnly}`}
              groupId={group.id}
              catalog={catalog}
              modelIds={group.modelIds}
              teeOnly={group.teeOnly}
            />
          </CardContent>
        </Card>

        <div className="flex flex-col gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Members</CardTitle>
              <CardDescription>
                {group.builtin
                  ? `Everyone holds every user (${group.memberCount}); its membership cannot be changed.`
                  : "Admins may use every enabled model whatever their groups."}
              </CardDescription>
            </CardHeader>
            {!group.builtin && (
              <CardContent>
                <GroupMembers
                  groupId={group.id}
                  members={members.map(({ id, email, name, role }) => ({ id, email, name, role }))}
                  candidates={candidates.map(({ id, email, name, role }) => ({ id, email, name, role }))}
                />
              </CardContent>
            )}
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Enclave verification</CardTitle>
              <CardDescription>
                Pillbox checks every reply from a TEE model against RedPill&apos;s attestation and the reply&apos;s signature.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <GroupVerificationPolicy key={String(group.requireVerified)} groupId={group.id} requireVerified={group.requireVerified} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Rate limits</CardTitle>
              <CardDescription>
                Defaults for members; a user&apos;s own limit wins, else the most generous of their groups. Empty: this
                group sets none.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <LimitsForm
                key={`${group.rpm}:${group.tpm}`}
                target={{ kind: "group", groupId: group.id }}
                rpm={group.rpm}
                tpm={group.tpm}
                emptyLabel="No limit"
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>API access</CardTitle>
              <CardDescription>Whether members may use Pillbox from their tools with personal API keys.</CardDescription>
            </CardHeader>
            <CardContent>
              <GroupApiAccess key={String(group.apiAccess)} groupId={group.id} apiAccess={group.apiAccess} builtin={group.builtin} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Name</CardTitle>
              <CardDescription>
                {group.builtin ? "The built-in group cannot be renamed or deleted." : "Group names are unique."}
              </CardDescription>
            </CardHeader>
            {!group.builtin && (
              <CardContent>
                <RenameGroupForm key={group.name} groupId={group.id} name={group.name} />
              </CardContent>
            )}
          </Card>
        </div>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Budgets</CardTitle>
          <CardDescription>
            USD limits on what this group&apos;s members spend together, per day, week or month. Workspace and personal
            budgets still apply; the tightest binds.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <BudgetEditor budgets={budgets} targets={{ group: [], user: [] }} fixed={{ scope: "group", targetId: group.id }} />
        </CardContent>
      </Card>
    </div>
  );
}
