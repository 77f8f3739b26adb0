import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { BudgetEditor } from "@/components/admin-budgets";
import { AdminDetailHeader } from "@/components/admin-page-header";
import { LimitsForm } from "@/components/admin-limits";
import { UsageBudgets } from "@/components/usage-budgets";
import { UsageTotalCards } from "@/components/usage-totals";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requirePageAdmin } from "@/lib/auth/session";
import { listPublicBudgets } from "@/lib/budgets/manage";
import { budgetStatusFor } from "@/lib/budgets/status";
import { listAccessRulesForUser } from "@/lib/db/groups";
import { getUserById } from "@/lib/db/users";
import { dayIn, resolveFilters } from "@/lib/usage/filters";
import { formatCount, formatUsd } from "@/lib/usage/format";
import { effectiveLimits } from "@/lib/usage/rate-limits";
import { usageTotals } from "@/lib/usage/summary";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "User · Pillbox admin" };

const perMinute = (n: number | null, what: string) => (n === null ? `unlimited ${what}` : `${formatCount(n)} ${what} a minute`);

export default async function UserPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageAdmin();
  const id = z.uuid().safeParse((await params).id);
  if (!id.success) notFound();
  const user = await getUserById({ id: id.data });
  if (!user || user.deletedAt) notFound();
  const { timeZone } = await getWorkspaceSettings();
  const today = dayIn(new Date(), timeZone);
  const month = resolveFilters({ from: `${today.slice(0, 8)}01`, to: today, userId: user.id, limit: 50 }, timeZone);
  const [groups, budgets, binding, spend] = await Promise.all([
    listAccessRulesForUser({ userId: user.id }),
    listPublicBudgets(),
    budgetStatusFor(user),
    usageTotals(month),
  ]);
  const limits = effectiveLimits(user, groups);
  const fromGroups = effectiveLimits({ rpm: null, tpm: null }, groups);

  return (
    <div className="flex flex-col gap-6">
      <AdminDetailHeader
        back={{ href: "/admin/users", label: "Users" }}
        title={user.name}
        badges={
          <>
            {user.role === "ADMIN" ? <Badge>Admin</Badge> : <Badge variant="secondary">Member</Badge>}
            {user.disabledAt && <Badge variant="destructive">Disabled</Badge>}
          </>
        }
        actions={
          <Button asChild variant="outline">
            <Link href={`/admin/usage?userId=${user.id}`}>All usage</Link>
          </Button>
        }
      >
        {user.email} · groups:{" "}
        {groups.map((g, i) => (
          <span key={g.id}>
            {i > 0 && ", "}
            <Link className="underline-offset-2 hover:underline" href={`/admin/groups/${g.id}`}>
              {g.name}
            </Link>
          </span>
        ))}
      </AdminDetailHeader>

      <UsageTotalCards
        items={[
          { label: "Spend this month", value: formatUsd(spend.costUsd) },
          { label: "Requests this month", value: formatCount(spend.requests) },
          { label: "Tokens this month", value: formatCount(spend.promptTokens + spend.completionTokens) },
        ]}
      />

      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2 lg:items-start">
        <UsageBudgets budgets={binding} emptyText="No budget applies to this user." />
        <Card>
          <CardHeader>
            <CardTitle>Rate limits</CardTitle>
            <CardDescription>
              In force: {perMinute(limits.rpm, "requests")}, {perMinute(limits.tpm, "tokens")}. An empty field takes the
              most generous of their groups: {perMinute(fromGroups.rpm, "requests")}, {perMinute(fromGroups.tpm, "tokens")}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <LimitsForm
              key={`${user.rpm}:${user.tpm}`}
              target={{ kind: "user", userId: user.id }}
              rpm={user.rpm}
              tpm={user.tpm}
              emptyLabel="From groups"
            />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Personal budgets</CardTitle>
          <CardDescription>
            USD limits on what {user.name} spends, per day, week or month. Workspace and group budgets still apply; the
            tightest binds.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <BudgetEditor budgets={budgets} targets={{ group: [], user: [] }} fixed={{ scope: "user", targetId: user.id }} />
        </CardContent>
      </Card>
    </div>
  );
}
