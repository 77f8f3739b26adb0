import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { TEE_STATUSES } from "@/lib/tee/types";

export const USAGE_STATUSES = ["ok", "error", "aborted", "interrupted", "pending"] as const;
export type UsageStatusFilter = (typeof USAGE_STATUSES)[number];

/** A TEE reply's verification, as the usage views filter on it; `not_applicable`: not a TEE reply. */
export const VERIFICATION_FILTERS = TEE_STATUSES;
export type VerificationFilter = (typeof VERIFICATION_FILTERS)[number];

/** The default period: the last 30 calendar days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;

const dayOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * The filters every usage view shares (the three admin routes and the dashboard page). `from`/`to`
 * are ISO dates or datetimes: a date is a calendar day in the workspace time zone, and a date `to`
 * includes that whole day; a datetime `to` is an exclusive instant.
 */
export const usageFilterSchema = z.object({
  from: dayOrInstant.optional(),
  to: dayOrInstant.optional(),
  userId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  modelId: z.string().min(1).max(200).optional(),
  status: z.enum(USAGE_STATUSES).optional(),
  /** calls made through this personal API key */
  apiKeyId: z.uuid().optional(),
  verification: z.enum(VERIFICATION_FILTERS).optional(),
  /** records only: rows a page */
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** records only: the `nextCursor` of the previous page */
  cursor: z.string().max(200).optional(),
});
export type UsageFilterInput = z.infer<typeof usageFilterSchema>;

export const GROUP_BYS = ["user", "group", "model", "day"] as const;
export type UsageGroupBy = (typeof GROUP_BYS)[number];
export const usageSummarySchema = usageFilterSchema.extend({ groupBy: z.enum(GROUP_BYS).default("day") });

/** The period as instants: `from` inclusive, `to` exclusive; the days are calendar days in `timeZone`. */
export interface UsagePeriod {
  from: Date;
  to: Date;
  /** first calendar day (YYYY-MM-DD) in the time zone */
  fromDay: string;
  /** last calendar day (YYYY-MM-DD, inclusive) in the time zone */
  toDay: string;
  timeZone: string;
}

export interface UsageFilters extends Omit<UsageFilterInput, "from" | "to"> {
  period: UsagePeriod;
}

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Midnight at the start of a calendar day in the time zone. */
export function startOfDayIn(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, timeZone).getTime());
}

/** The calendar day (YYYY-MM-DD) an instant falls on in the time zone. */
export function dayIn(instant: Date, timeZone: string): string {
  return format(new TZDate(instant.getTime(), timeZone), "yyyy-MM-dd");
}

/** `day` plus `days` calendar days. */
export function addDay(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return format(addDays(new Date(Date.UTC(y, m - 1, d, 12)), days), "yyyy-MM-dd");
}

/** Every calendar day from `fromDay` to `toDay` inclusive (at most `max`). */
export function daysBetween(fromDay: string, toDay: string, max = 1000): string[] {
  const days: string[] = [];
  for (let day = fromDay; day <= toDay && days.length < max; day = addDay(day, 1)) days.push(day);
  return days;
}

export function resolvePeriod(
  { from, to }: { from?: string; to?: string },
  timeZone: string,
  now: Date = new Date(),
): UsagePeriod {
  const today = dayIn(now, timeZone);
  const toValue = to ?? today;
  const fromValue = from ?? addDay(isDay(toValue) ? toValue : dayIn(new Date(toValue), timeZone), 1 - DEFAULT_PERIOD_DAYS);
  const start = isDay(fromValue) ? startOfDayIn(fromValue, timeZone) : new Date(fromValue);
  const end = isDay(toValue) ? startOfDayIn(addDay(toValue, 1), timeZone) : new Date(toValue);
  if (!(start < end)) throw new AppError("bad_request:api", "Invalid request: `from` must be before `to`.");
  return {
    from: start,
    to: end,
    fromDay: dayIn(start, timeZone),
    toDay: dayIn(new Date(end.getTime() - 1), timeZone),
    timeZone,
  };
}

export function resolveFilters(input: UsageFilterInput, timeZone: string, now?: Date): UsageFilters {
  const { from, to, ...rest } = input;
  return { ...rest, period: resolvePeriod({ from, to }, timeZone, now) };
}

/** The filters as URL search params (for links that keep the current view). */
export function filterParams(filters: UsageFilters, extra: Record<string, string | undefined> = {}): URLSearchParams {
  const params = new URLSearchParams({ from: filters.period.fromDay, to: filters.period.toDay });
  for (const key of ["userId", "groupId", "modelId", "status", "verification", "apiKeyId"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) params.delete(key);
    else params.set(key, value);
  }
  return params;
}
