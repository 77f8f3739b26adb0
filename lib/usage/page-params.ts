import "server-only";
import { decodeCursor } from "@/lib/usage/records";
import { resolveFilters, usageFilterSchema, type UsageFilters, type UsagePeriod } from "@/lib/usage/filters";

export type SearchParams = Record<string, string | string[] | undefined>;

function plain(params: SearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first) out[key] = first;
  }
  return out;
}

/** A page's search params as filters; anything invalid falls back to the default view. */
export function filtersFromSearchParams(params: SearchParams, timeZone: string): UsageFilters {
  const parsed = usageFilterSchema.safeParse(plain(params));
  try {
    if (parsed.success) {
      if (parsed.data.cursor) decodeCursor(parsed.data.cursor);
      return resolveFilters(parsed.data, timeZone);
    }
  } catch {
    // from after to, or a cursor this app did not make: show the default view instead
  }
  return resolveFilters(usageFilterSchema.parse({}), timeZone);
}

export function periodFromSearchParams(params: SearchParams, timeZone: string): UsagePeriod {
  return filtersFromSearchParams({ from: params.from, to: params.to }, timeZone).period;
}
