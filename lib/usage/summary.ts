import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { daysBetween, type UsageFilters, type UsageGroupBy } from "@/lib/usage/filters";
import { ttftHistogram, usageSource } from "@/lib/usage/sql";

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
}

/** The median (as percentile_cont(0.5) computes it) of values given as counts per value. */
function medianOfCounts(counts: { value: number; count: number }[]): number | null {
  const sorted = [...counts].filter((c) => c.count > 0).sort((a, b) => a.value - b.value);
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  if (total === 0) return null;
  const position = (total - 1) / 2;
  const valueAt = (index: number) => {
    let seen = 0;
    for (const c of sorted) {
      seen += c.count;
      if (seen > index) return c.value;
    }
    return sorted.at(-1)!.value;
  };
  const low = valueAt(Math.floor(position));
  return low + (valueAt(Math.ceil(position)) - low) * (position - Math.floor(position));
}

async function ttftP50(filters: Filters): Promise<number | null> {
  const rows = await db.$queryRaw<{ ttftMs: number; requests: bigint }[]>`
    SELECT h."ttftMs", sum(h."requests")::bigint AS "requests" FROM ${ttftHistogram(filters)} GROUP BY 1`;
  const median = medianOfCounts(rows.map((row) => ({ value: row.ttftMs, count: Number(row.requests) })));
  return median === null ? null : Math.round(median);
}

export async function usageTotals(filters: Filters): Promise<UsageTotals> {
  const [[row], ttftP50Ms] = await Promise.all([
    db.$queryRaw<TotalsRow[]>`
      SELECT coalesce(sum(s."requests"), 0)::int AS "requests",
             coalesce(sum(s."promptTokens"), 0)::bigint AS "promptTokens",
             coalesce(sum(s."completionTokens"), 0)::bigint AS "completionTokens",
             coalesce(sum(s."cost"), 0)::text AS "costUsd",
             coalesce(sum(s."requests") FILTER (WHERE s."status" IN ('error', 'interrupted')), 0)::int AS "errors"
      FROM ${usageSource(filters)}`,
    ttftP50(filters),
  ]);
  const { requests, errors } = row!;
  return {
    requests,
    promptTokens: Number(row!.promptTokens),
    completionTokens: Number(row!.completionTokens),
    costUsd: row!.costUsd,
    errorRate: requests === 0 ? 0 : errors / requests,
    ttftP50Ms,
  };
}

/** Per breakdown: the key, where rows come from, and how the key gets its label. */
function breakdown(groupBy: UsageGroupBy): {
  key: Prisma.Sql;
  keyText?: Prisma.Sql;
  unnest?: Prisma.Sql;
  join: Prisma.Sql;
  label: Prisma.Sql;
} {
  switch (groupBy) {
    case "user":
      return {
        key: Prisma.sql`s."userId"`,
        join: Prisma.sql`LEFT JOIN "User" l ON l."id" = a."key"`,
        label: Prisma.sql`l."name" || ' (' || l."email" || ')'`,
      };
    case "model":
      return {
        key: Prisma.sql`s."modelId"`,
        join: Prisma.sql`LEFT JOIN "Model" l ON l."id" = a."key"`,
        label: Prisma.sql`coalesce(l."displayName", l."name")`,
      };
    case "group":
      return {
        key: Prisma.sql`g."id"`,
        unnest: Prisma.sql`CROSS JOIN LATERAL unnest(s."groupIds") AS g("id")`,
        join: Prisma.sql`LEFT JOIN "Group" l ON l."id" = a."key"`,
        label: Prisma.sql`l."name"`,
      };
    case "day":
      return {
        // grouped as dates, formatted only once per day afterwards
        key: Prisma.sql`s."day"`,
        keyText: Prisma.sql`to_char(a."key", 'YYYY-MM-DD')`,
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
  const { key, unnest = Prisma.empty, join, label, keyText = Prisma.sql`a."key"::text` } = breakdown(groupBy);
  const order = groupBy === "day" ? Prisma.sql`a."key" ASC` : Prisma.sql`a."cost" DESC, a."requests" DESC, a."key" ASC`;
  const rows = await db.$queryRaw<BreakdownSqlRow[]>`
    SELECT ${keyText} AS "key", ${label} AS "label", a."requests", a."promptTokens", a."completionTokens",
           a."cost"::text AS "costUsd"
    FROM (
      SELECT ${key} AS "key", sum(s."requests")::int AS "requests",
             sum(s."promptTokens")::bigint AS "promptTokens", sum(s."completionTokens")::bigint AS "completionTokens",
             sum(s."cost") AS "cost"
      FROM ${usageSource(filters)} ${unnest} GROUP BY 1
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
