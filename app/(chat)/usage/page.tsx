import { UsageBreakdownTable } from "@/components/usage-breakdown";
import { UsageBudgets } from "@/components/usage-budgets";
import { UsageChart } from "@/components/usage-chart";
import { UsagePeriodPicker } from "@/components/usage-period";
import { UsageTotalCards } from "@/components/usage-totals";
import { requirePageUser } from "@/lib/auth/session";
import { budgetStatusFor } from "@/lib/budgets/status";
import { dayIn } from "@/lib/usage/filters";
import { formatCount, formatUsd } from "@/lib/usage/format";
import { usageForMember } from "@/lib/usage/member";
import { periodFromSearchParams, type SearchParams } from "@/lib/usage/page-params";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "My usage · Pillbox" };

export default async function MyUsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requirePageUser();
  const { timeZone } = await getWorkspaceSettings();
  const period = periodFromSearchParams(await searchParams, timeZone);
  const usage = await usageForMember({ user, period, budgets: await budgetStatusFor(user) });
  const { totals } = usage;
  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="mx-auto flex max-w-5xl flex-col gap-5 px-4 py-6">
        <div>
          <h1 className="text-xl font-semibold">My usage</h1>
          <p className="text-sm text-muted-foreground">
            Your own spend and tokens from {period.fromDay} to {period.toDay} ({timeZone}).
          </p>
        </div>
        <UsagePeriodPicker basePath="/usage" period={period} today={dayIn(new Date(), timeZone)} keep={{}} />
        <UsageTotalCards
          items={[
            { label: "Spend", value: formatUsd(totals.costUsd) },
            { label: "Requests", value: formatCount(totals.requests) },
            { label: "Prompt tokens", value: formatCount(totals.promptTokens) },
            { label: "Completion tokens", value: formatCount(totals.completionTokens) },
          ]}
        />
        <UsageBudgets budgets={usage.budgets} />
        <section className="rounded-xl border p-3">
          <h2 className="mb-2 text-sm font-semibold">By day</h2>
          <UsageChart days={usage.days.map((d) => ({ day: d.key, cost: Number(d.costUsd), tokens: d.promptTokens + d.completionTokens }))} />
        </section>
        <UsageBreakdownTable title="By model" testId="usage-by-model" items={usage.models} />
      </div>
    </div>
  );
}
