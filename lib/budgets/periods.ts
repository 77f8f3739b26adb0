import { TZDate } from "@date-fns/tz";
import { addDays, addMonths, addWeeks, startOfDay, startOfMonth, startOfWeek } from "date-fns";
import type { BudgetPeriod } from "@/lib/db/generated/enums";

/**
 * The calendar period (day, ISO week starting Monday, month) holding `at`, in the workspace time
 * zone: a budget's spend resets at its end by itself.
 */
export function periodBounds(period: BudgetPeriod, timeZone: string, at: Date = new Date()): { start: Date; end: Date } {
  const local = new TZDate(at.getTime(), timeZone);
  const start =
    period === "day" ? startOfDay(local) : period === "week" ? startOfWeek(local, { weekStartsOn: 1 }) : startOfMonth(local);
  const end = period === "day" ? addDays(start, 1) : period === "week" ? addWeeks(start, 1) : addMonths(start, 1);
  return { start: new Date(start.getTime()), end: new Date(end.getTime()) };
}

/** The start of the day, week and month holding `at`: whichever period a budget has, its current one starts there. */
export function calendarStarts(timeZone: string, at: Date): { period: BudgetPeriod; start: Date }[] {
  return (["day", "week", "month"] as const).map((period) => ({ period, start: periodBounds(period, timeZone, at).start }));
}
