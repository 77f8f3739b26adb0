import Link from "next/link";
import { Button } from "@/components/ui/button";
import { selectClass } from "@/components/usage-time-zone";
import { USAGE_STATUSES, VERIFICATION_FILTERS, type UsageFilters } from "@/lib/usage/filters";

const VERIFICATION_LABELS: Record<(typeof VERIFICATION_FILTERS)[number], string> = {
  verified: "verified",
  failed: "not verified",
  pending: "verifying",
  not_applicable: "not a TEE reply",
};

interface Option {
  value: string;
  label: string;
}

/** User, group, model, status and verification filters as a plain GET form (the URL is the state). */
export function UsageFilterForm({
  basePath,
  filters,
  users,
  groups,
  models,
  apiKeys,
}: {
  basePath: string;
  filters: UsageFilters;
  users: Option[];
  groups: Option[];
  models: Option[];
  /** personal API keys to filter by (admins only) */
  apiKeys?: Option[];
}) {
  const selects = [
    { name: "userId", label: "User", options: users, value: filters.userId },
    { name: "groupId", label: "Group", options: groups, value: filters.groupId },
    { name: "modelId", label: "Model", options: models, value: filters.modelId },
    { name: "status", label: "Status", options: USAGE_STATUSES.map((s) => ({ value: s, label: s })), value: filters.status },
    {
      name: "verification",
      label: "Enclave verification",
      options: VERIFICATION_FILTERS.map((v) => ({ value: v, label: VERIFICATION_LABELS[v] })),
      value: filters.verification,
    },
    ...(apiKeys ? [{ name: "apiKeyId", label: "API key", options: apiKeys, value: filters.apiKeyId }] : []),
  ];
  const filtered = selects.some((s) => s.value);
  return (
    <form method="GET" action={basePath} className="flex flex-wrap items-end gap-2" data-testid="usage-filters">
      <input type="hidden" name="from" value={filters.period.fromDay} />
      <input type="hidden" name="to" value={filters.period.toDay} />
      {selects.map((select) => (
        <label key={select.name} className="flex flex-col gap-1 text-xs text-muted-foreground">
          {select.label}
          <select name={select.name} defaultValue={select.value ?? ""} className={`${selectClass} max-w-56 text-foreground`}>
            <option value="">All</option>
            {select.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <Button type="submit" size="sm" className="h-8">
        Filter
      </Button>
      {filtered && (
        <Button asChild size="sm" variant="ghost" className="h-8">
          <Link href={`${basePath}?${new URLSearchParams({ from: filters.period.fromDay, to: filters.period.toDay })}`}>Clear</Link>
        </Button>
      )}
    </form>
  );
}
