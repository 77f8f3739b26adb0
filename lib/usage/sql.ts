import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { addDay, startOfDayIn, type UsageFilters, type UsagePeriod } from "@/lib/usage/filters";

type Filters = Omit<UsageFilters, "limit" | "cursor">;

/** `createdAt` is a UTC timestamp without zone: compare it with UTC wall-clock text. */
export const utcTimestamp = (instant: Date) => Prisma.sql`${instant.toISOString().replace("Z", "")}::timestamp`;

/** What a row costs: its settled cost, or while it is pending, what it reserved. */
export const SPEND = Prisma.sql`CASE WHEN r."status" = 'pending' THEN r."reservedUsd" ELSE r."costUsd" END`;

/**
 * The user, group, model, status, verification and key filters over a table aliased `alias` (the
 * ledger or the rollup; the rollup has neither verification nor key, so filtering on either reads
 * the ledger alone: see sourceParts).
 */
function dimensionWhere({ userId, groupId, modelId, status, verification, apiKeyId }: Filters, alias: "r" | "d"): Prisma.Sql[] {
  const a = Prisma.raw(alias);
  const parts: Prisma.Sql[] = [];
  if (userId) parts.push(Prisma.sql`${a}."userId" = ${userId}::uuid`);
  if (groupId) parts.push(Prisma.sql`${a}."groupIds" @> ARRAY[${groupId}::uuid]`);
  if (modelId) parts.push(Prisma.sql`${a}."modelId" = ${modelId}`);
  if (status) parts.push(Prisma.sql`${a}."status" = ${status}::"UsageStatus"`);
  // Only the ledger knows a call's verification and key (the rollup never reads them: see sourceParts).
  if (verification === "not_applicable") parts.push(Prisma.sql`${a}."verification" IS NULL`);
  else if (verification) parts.push(Prisma.sql`${a}."verification" = ${verification}::"TeeVerification"`);
  if (apiKeyId) parts.push(Prisma.sql`${a}."apiKeyId" = ${apiKeyId}::uuid`);
  return parts;
}

const ledgerRange = (from: Prisma.Sql, to: Prisma.Sql) => [Prisma.sql`r."createdAt" >= ${from}`, Prisma.sql`r."createdAt" < ${to}`];

/** The WHERE clause (over `"UsageRecord" r`) for the shared filters: what records and the export read. */
export function usageWhere(filters: Filters): Prisma.Sql {
  const { period } = filters;
  return Prisma.join([...ledgerRange(utcTimestamp(period.from), utcTimestamp(period.to)), ...dimensionWhere(filters, "r")], " AND ");
}

/** Only the status filter (or none): the per-day time-to-first-token counts can answer. */
const ttftFromRollup = ({ userId, groupId, modelId }: Filters) => !userId && !groupId && !modelId;

/** The calendar days wholly inside the period: those the daily rollup may answer for. */
function wholeDays({ from, to, fromDay, toDay, timeZone }: UsagePeriod) {
  const firstDay = startOfDayIn(fromDay, timeZone).getTime() === from.getTime() ? fromDay : addDay(fromDay, 1);
  const lastDay = startOfDayIn(addDay(toDay, 1), timeZone).getTime() === to.getTime() ? toDay : addDay(toDay, -1);
  if (firstDay > lastDay) return null;
  return { firstDay, lastDay, start: startOfDayIn(firstDay, timeZone), end: startOfDayIn(addDay(lastDay, 1), timeZone) };
}

interface SourceParts {
  /** rows of the rollup table aliased `d`, for the whole days it holds */
  rollup: (table: "UsageDaily" | "UsageTtftDaily") => Prisma.Sql | null;
  /** WHERE clauses over the ledger `"UsageRecord" r`, one per range the rollup does not cover */
  ledger: Prisma.Sql[];
}

/**
 * Splits the period between the daily rollup and the ledger. The rollup answers for the rows it
 * holds (`rolledUp`) in the whole days of the period, when it is kept in the period's time zone;
 * the ledger answers for everything else: its rows not rolled up yet, and every row of a partial
 * first or last day. Both are read in one statement, so one snapshot sees each row in exactly one.
 */
function sourceParts(filters: Filters): SourceParts {
  const { period } = filters;
  const dims = (alias: "r" | "d") => dimensionWhere(filters, alias);
  // The daily rollup keeps neither verification nor the key: filtered on either, the ledger answers for everything.
  const days = filters.verification || filters.apiKeyId ? null : wholeDays(period);
  if (!days) return { rollup: () => null, ledger: [usageWhere(filters)] };
  const rollupValid = Prisma.sql`EXISTS (SELECT 1 FROM "UsageRollup" WHERE "id" = 1 AND "timeZone" = ${period.timeZone})`;
  const [from, start, end, to] = [period.from, days.start, days.end, period.to].map(utcTimestamp) as [Prisma.Sql, Prisma.Sql, Prisma.Sql, Prisma.Sql];
  const ledger = [
    ledgerRange(from, start),
    [...ledgerRange(start, end), Prisma.sql`NOT r."rolledUp"`],
    // Rolled-up rows count from the ledger while the rollup is in another time zone.
    [...ledgerRange(start, end), Prisma.sql`r."rolledUp"`, Prisma.sql`NOT ${rollupValid}`],
    ledgerRange(end, to),
  ].map((range) => Prisma.join([...range, ...dims("r")], " AND "));
  const rollup = (table: "UsageDaily" | "UsageTtftDaily") =>
    Prisma.join(
      [
        Prisma.sql`d."day" BETWEEN ${days.firstDay}::date AND ${days.lastDay}::date`,
        rollupValid,
        ...(table === "UsageDaily" ? dims("d") : dimensionWhere({ period, status: filters.status }, "d")),
      ],
      " AND ",
    );
  return { rollup, ledger };
}

const dayOfRow = (timeZone: string) => Prisma.sql`(r."createdAt" AT TIME ZONE 'UTC' AT TIME ZONE ${timeZone})::date`;

/**
 * Every call the filters select, as rows `s` of (day, userId, modelId, status, groupIds, requests,
 * promptTokens, completionTokens, cost): daily sums from the rollup and single calls from the
 * ledger. Summing any column over it equals summing the ledger; `day` is in the period's time zone.
 */
export function usageSource(filters: Filters): Prisma.Sql {
  const { rollup, ledger } = sourceParts(filters);
  const arms = ledger.map(
    (where) => Prisma.sql`
      SELECT ${dayOfRow(filters.period.timeZone)} AS "day", r."userId", r."modelId", r."status", r."groupIds",
             1 AS "requests", r."promptTokens"::bigint AS "promptTokens", r."completionTokens"::bigint AS "completionTokens",
             ${SPEND} AS "cost"
      FROM "UsageRecord" r WHERE ${where}`,
  );
  const rolled = rollup("UsageDaily");
  if (rolled) {
    arms.unshift(Prisma.sql`
      SELECT d."day", d."userId", d."modelId", d."status", d."groupIds", d."requests", d."promptTokens",
             d."completionTokens", d."costUsd" AS "cost"
      FROM "UsageDaily" d WHERE ${rolled}`);
  }
  return Prisma.sql`(${Prisma.join(arms, " UNION ALL ")}) s`;
}

/** How many calls had each time to first token (rows `h` of ttftMs, requests), for the median. */
export function ttftHistogram(filters: Filters): Prisma.Sql {
  const { rollup, ledger } = ttftFromRollup(filters)
    ? sourceParts(filters)
    : { rollup: () => null, ledger: [usageWhere(filters)] };
  const arms = ledger.map(
    (where) => Prisma.sql`SELECT r."ttftMs", count(*)::int AS "requests" FROM "UsageRecord" r
      WHERE ${where} AND r."ttftMs" IS NOT NULL GROUP BY 1`,
  );
  const rolled = rollup("UsageTtftDaily");
  if (rolled) arms.unshift(Prisma.sql`SELECT d."ttftMs", d."requests" FROM "UsageTtftDaily" d WHERE ${rolled}`);
  return Prisma.sql`(${Prisma.join(arms, " UNION ALL ")}) h`;
}
