import { AdminPageHeader } from "@/components/admin-page-header";
import { BudgetEditor } from "@/components/admin-budgets";
import { requirePageAdmin } from "@/lib/auth/session";
import { listPublicBudgets } from "@/lib/budgets/manage";
import { listGroups } from "@/lib/db/groups";
import { listUsers } from "@/lib/db/users";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Budgets · Pillbox admin" };

export default async function BudgetsPage() {
  await requirePageAdmin();
  const [budgets, groups, users, settings] = await Promise.all([
    listPublicBudgets(),
    listGroups(),
    listUsers(),
    getWorkspaceSettings(),
  ]);
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Budgets">
        USD limits per day, week or month for the whole workspace, a group or one person. Every budget that applies is
        enforced and the tightest binds; periods follow the workspace time zone ({settings.timeZone}).
      </AdminPageHeader>
      <BudgetEditor
        budgets={budgets}
        targets={{
          group: groups.map((g) => ({ id: g.id, name: g.name })),
          user: users.filter((u) => !u.deletedAt).map((u) => ({ id: u.id, name: `${u.name} (${u.email})` })),
        }}
      />
    </div>
  );
}
