import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { addDay, type UsagePeriod } from "@/lib/usage/filters";
import { cn } from "@/lib/utils";

/** Period presets (today, 7 days, 30 days, this month) as links, plus a custom from/to form. */
export function UsagePeriodPicker({
  basePath,
  period,
  today,
  keep,
}: {
  basePath: string;
  period: UsagePeriod;
  /** today's calendar day in the workspace time zone */
  today: string;
  /** other search params to keep (filters) */
  keep: Record<string, string>;
}) {
  const presets = [
    { label: "Today", from: today },
    { label: "7 days", from: addDay(today, -6) },
    { label: "30 days", from: addDay(today, -29) },
    { label: "This month", from: `${today.slice(0, 8)}01` },
  ];
  const href = (from: string, to: string) => `${basePath}?${new URLSearchParams({ ...keep, from, to })}`;
  const isPreset = presets.some((p) => p.from === period.fromDay && period.toDay === today);
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="usage-period">
      <div className="flex flex-wrap gap-1 rounded-lg border p-1">
        {presets.map((preset) => {
          const active = preset.from === period.fromDay && period.toDay === today;
          return (
            <Button key={preset.label} asChild size="sm" variant={active ? "secondary" : "ghost"} className="h-7">
              <Link href={href(preset.from, today)} aria-current={active ? "page" : undefined}>
                {preset.label}
              </Link>
            </Button>
          );
        })}
      </div>
      <form method="GET" action={basePath} className={cn("flex flex-wrap items-center gap-1 rounded-lg border p-1", !isPreset && "border-ring")}>
        {Object.entries(keep).map(([key, value]) => (
          <input key={key} type="hidden" name={key} value={value} />
        ))}
        <span className="px-1 text-xs text-muted-foreground">Custom</span>
        <Input type="date" name="from" defaultValue={period.fromDay} aria-label="From" className="h-7 w-36" required />
        <span className="text-xs text-muted-foreground">to</span>
        <Input type="date" name="to" defaultValue={period.toDay} aria-label="To" className="h-7 w-36" required />
        <Button type="submit" size="sm" variant="outline" className="h-7">
          Apply
        </Button>
      </form>
    </div>
  );
}
