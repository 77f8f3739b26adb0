import { DownloadIcon } from "lucide-react";
import { AdminPageHeader } from "@/components/admin-page-header";
import { Button } from "@/components/ui/button";
import { UsageBreakdownTable, type BreakdownItem } from "@/components/usage-breakdown";
import { UsageChart } from "@/components/usage-chart";
import { UsageFilterForm } from "@/components/usage-filters";
import { UsagePeriodPicker } from "@/components/usage-period";
import { UsageRecordsTable } from "@/components/usage-records";
import { UsageTimeZoneForm } from "@/components/usage-time-zone";
import { UsageTotalCards } from "@/components/usage-totals";
import { requirePageAdmin } from "@/lib/auth/session";
import { listGroups } from "@/lib/db/groups";
import { listAllModels } from "@/lib/db/models";
import { listUsers } from "@/lib/db/users";
import { listKeysForAdmin } from "@/lib/keys/manage";
import { dayIn, filterParams, type UsageFilters } from "@/lib/usage/filters";
import { formatCount, formatMs, formatPercent, formatUsd } from "@/lib/usage/format";
import { filtersFromSearchParams, type SearchParams } from "@/lib/usage/page-params";
import { usageRecords } from "@/lib/usage/records";
import { usageBreakdown, usageTotals, type UsageBreakdownRow } from "@/lib/usage/summary";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Usage · Pillbox admin" };

const BASE = "/admin/usage";

const drillDown = (filters: UsageFilters, key: "userId" | "groupId" | "modelId") => (row: UsageBreakdownRow): BreakdownItem => ({
  ...row,
  href: `${BASE}?${filterParams(filters, { [key]: row.key })}#records`,
});

export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAdmin();
  const { timeZone } = await getWorkspaceSettings();
  const filters = filtersFromSearchParams(await searchParams, timeZone);
  const [totals, byUser, byGroup, byModel, byDay, page, users, groups, models, apiKeys] = await Promise.all([
    usageTotals(filters),
    usageBreakdown(filters, "user"),
    usageBreakdown(filters, "group"),
    usageBreakdown(filters, "model"),
    usageBreakdown(filters, "day"),
    usageRecords(filters),
    listUsers(),
    listGroups(),
    listAllModels(),
    listKeysForAdmin(),
  ]);
  const keep = Object.fromEntries([...filterParams(filters)].filter(([key]) => key !== "from" && key !== "to"));
  return (
    <div className="flex flex-col gap-5">
      <AdminPageHeader
        title="Usage"
        actions={
          <Button asChild variant="outline" size="sm">
            <a href={`/api/admin/usage/export.csv?${filterParams(filters)}`} data-testid="usage-export" download>
              <DownloadIcon /> Export CSV
            </a>
          </Button>
        }
      >
        Spend and tokens from {filters.period.fromDay} to {filters.period.toDay}, by calendar day in {timeZone}.
      </AdminPageHeader>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <UsagePeriodPicker basePath={BASE} period={filters.period} today={dayIn(new Date(), timeZone)} keep={keep} />
        <UsageTimeZoneForm timeZone={timeZone} />
      </div>
      <UsageFilterForm
        basePath={BASE}
        filters={filters}
        users={users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))}
        groups={groups.map((g) => ({ value: g.id, label: g.name }))}
        models={models.map((m) => ({ value: m.id, label: m.displayName ?? m.name }))}
        apiKeys={apiKeys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…) · ${k.user.email}` }))}
      />
      <UsageTotalCards
        items={[
          { label: "Requests", value: formatCount(totals.requests) },
          {
            label: "Tokens",
            value: formatCount(totals.promptTokens + totals.completionTokens),
            hint: `${formatCount(totals.promptTokens)} prompt · ${formatCount(totals.completionTokens)} completion`,
          },
          { label: "Cost", value: formatUsd(totals.costUsd) },
          { label: "Error rate", value: formatPercent(totals.errorRate), hint: "errors and interruptions" },
          { label: "p50 first token", value: formatMs(totals.ttftP50Ms) },
        ]}
      />
      <section className="rounded-xl border p-3">
        <h2 className="mb-2 text-sm font-semibold">Daily cost and tokens</h2>
        <UsageChart days={byDay.map((d) => ({ day: d.key, cost: Number(d.costUsd), tokens: d.promptTokens + d.completionTokens }))} />
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        <UsageBreakdownTable title="By user" testId="usage-by-user" items={byUser.map(drillDown(filters, "userId"))} />
        <UsageBreakdownTable title="By model" testId="usage-by-model" items={byModel.map(drillDown(filters, "modelId"))} />
        <UsageBreakdownTable title="By group" testId="usage-by-group" items={byGroup.map(drillDown(filters, "groupId"))} />
      </div>
      <h2 className="text-sm font-semibold">Calls</h2>
      <UsageRecordsTable
        records={page.records}
        olderHref={page.nextCursor ? `${BASE}?${filterParams(filters, { cursor: page.nextCursor })}#records` : null}
        newestHref={filters.cursor ? `${BASE}?${filterParams(filters)}#records` : null}
      />
    </div>
  );
}
