import { setUsageTimeZoneAction } from "@/app/admin/usage/actions";
import { Button } from "@/components/ui/button";

const selectClass =
  "h-8 rounded-md border border-input bg-transparent px-2 text-sm shadow-xs outline-none focus-visible:border-ring focus-visible:ring-[3px] focus-visible:ring-ring/50 dark:bg-input/30";

/** Shows the workspace time zone and lets an admin change it. */
export function UsageTimeZoneForm({ timeZone }: { timeZone: string }) {
  const zones = Intl.supportedValuesOf("timeZone");
  if (!zones.includes(timeZone)) zones.unshift(timeZone);
  if (!zones.includes("UTC")) zones.unshift("UTC");
  return (
    <form key={timeZone} action={setUsageTimeZoneAction} className="flex min-w-0 flex-wrap items-center gap-2 text-sm" data-testid="usage-time-zone">
      <label htmlFor="usage-tz" className="text-muted-foreground">
        Time zone
      </label>
      <select id="usage-tz" name="timeZone" defaultValue={timeZone} className={`${selectClass} min-w-0 max-w-60`}>
        {zones.map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
      <Button type="submit" size="sm" variant="outline" className="h-8">
        Save
      </Button>
    </form>
  );
}

export { selectClass };
