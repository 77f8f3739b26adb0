import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { daysBetween, type UsageFilters, type UsageGroupBy } from "@/lib/usage/filters";
import { SPEND, usageWhere } from "@/lib/usage/sql";

export interface UsageTotals {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** decimal string, USD; a pending row counts at its reserved amount */
  costUsd: string;
  /** (error + interrupted) / requests; aborted (the user pressed Stop) and pending are not errors */
  errorRate: number;
  ttftP50Ms: number | null;
}

export interface UsageBreakdownRow {
  key: string;
  label: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
}

export interface UsageSummary {
  totals: UsageTotals;
  rows: UsageBreakdownRow[];
}

type Filters = Omit<UsageFilters, "limit" | "cursor">;

interface TotalsRow {
  requests: number;
  promptTokens: bigint;
  completionTokens: bigint;
  costUsd: string;
  errors: number;
  ttftP50Ms: number | null;
}

export async function usageTotals(filters: Filters): Promise<UsageTotals> {
  const [row] = await db.$queryRaw<TotalsRow[]>`
    SELECT count(*)::int AS "requests",
           coalesce(sum(r."promptTokens"), 0)::bigint AS "promptTokens",
           coalesce(sum(r."completionTokens"), 0)::bigint AS "completionTokens",
           coalesce(sum(${SPEND}), 0)::text AS "costUsd",
           (count(*) FILTER (WHERE r."status" IN ('error', 'interrupted')))::int AS "errors",
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY r."ttftMs"))::float8 AS "ttftP50Ms"
    FROM "UsageRecord" r WHERE ${usageWhere(filters)}`;
  const { requests, errors, ttftP50Ms } = row!;
  return {
    requests,
    promptTokens: Number(row!.promptTokens),
    completionTokens: Number(row!.completionTokens),
    costUsd: row!.costUsd,
    errorRate: requests === 0 ? 0 : errors / requests,
    ttftP50Ms: ttftP50Ms === null ? null : Math.round(ttftP50Ms),
  };
}

/** Per breakdown: the key, where rows come from, and how the key gets its label. */
function breakdown(groupBy: UsageGroupBy, timeZone: string): {
  key: Prisma.Sql;
  keyText?: Prisma.Sql;
  from: Prisma.Sql;
  join: Prisma.Sql;
  label: Prisma.Sql;
} {
  switch (groupBy) {
    case "user":
      return {
        key: Prisma.sql`r."userId"`,
        from: Prisma.sql`"UsageRecord" r`,
        join: Prisma.sql`LEFT JOIN "User" l ON l."id" = a."key"`,
        label: Prisma.sql`l."name" || ' (' || l."email" || ')'`,
      };
    case "model":
      return {
        key: Prisma.sql`r."modelId"`,
        from: Prisma.sql`"UsageRecord" r`,
        join: Prisma.sql`LEFT JOIN "Model" l ON l."id" = a."key"`,
        label: Prisma.sql`coalesce(l."displayName", l."name")`,
      };
    case "group":
      return {
        key: Prisma.sql`g."id"`,
        from: Prisma.sql`"UsageRecord" r CROSS JOIN LATERAL unnest(r."groupIds") AS g("id")`,
        join: Prisma.sql`LEFT JOIN "Group" l ON l."id" = a."key"`,
        label: Prisma.sql`l."name"`,
      };
    case "day":
      return {
        // grouped as dates, formatted only once per day afterwards
        key: Prisma.sql`(r."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE ${timeZone})::date`,
        keyText: Prisma.sql`to_char(a."key", 'YYYY-MM-DD')`,
        from: Prisma.sql`"UsageRecord" r`,
        join: Prisma.empty,
        label: Prisma.sql`NULL::text`,
      };
  }
}

interface BreakdownSqlRow extends Omit<UsageBreakdownRow, "promptTokens" | "completionTokens" | "label"> {
  label: string | null;
  promptTokens: bigint;
  completionTokens: bigint;
}

export async function usageBreakdown(filters: Filters, groupBy: UsageGroupBy): Promise<UsageBreakdownRow[]> {
  const { key, from, join, label, keyText = Prisma.sql`a."key"::text` } = breakdown(groupBy, filters.period.timeZone);
  const order = groupBy === "day" ? Prisma.sql`a."key" ASC` : Prisma.sql`a."cost" DESC, a."requests" DESC, a."key" ASC`;
  const rows = await db.$queryRaw<BreakdownSqlRow[]>`
    SELECT ${keyText} AS "key", ${label} AS "label", a."requests", a."promptTokens", a."completionTokens",
           a."cost"::text AS "costUsd"
    FROM (
      SELECT ${key} AS "key", count(*)::int AS "requests",
             sum(r."promptTokens")::bigint AS "promptTokens", sum(r."completionTokens")::bigint AS "completionTokens",
             sum(${SPEND}) AS "cost"
      FROM ${from} WHERE ${usageWhere(filters)} GROUP BY 1
    ) a ${join}
    ORDER BY ${order}`;
  const result = rows.map((row) => ({
    key: row.key,
    label: row.label ?? row.key,
    requests: row.requests,
    promptTokens: Number(row.promptTokens),
    completionTokens: Number(row.completionTokens),
    costUsd: row.costUsd,
  }));
  return groupBy === "day" ? fillDays(result, filters.period.fromDay, filters.period.toDay) : result;
}

const MAX_FILLED_DAYS = 1000;

/** Days without usage appear with zeros, so a daily chart has no gaps. */
function fillDays(rows: UsageBreakdownRow[], fromDay: string, toDay: string): UsageBreakdownRow[] {
  const byDay = new Map(rows.map((row) => [row.key, row]));
  const days = daysBetween(fromDay, toDay, MAX_FILLED_DAYS);
  if (days.length === MAX_FILLED_DAYS) return rows;
  return days.map(
    (day) => byDay.get(day) ?? { key: day, label: day, requests: 0, promptTokens: 0, completionTokens: 0, costUsd: "0" },
  );
}

export async function usageSummary(filters: Filters, groupBy: UsageGroupBy): Promise<UsageSummary> {
  const [totals, rows] = await Promise.all([usageTotals(filters), usageBreakdown(filters, groupBy)]);
  return { totals, rows };
}
