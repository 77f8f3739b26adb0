import "server-only";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { UsageFilters } from "@/lib/usage/filters";
import { usageRecordsPage, type UsageRecordRow } from "@/lib/usage/records";
import { log } from "@/lib/log";

/** Rows fetched per database round trip; only one page is ever held in memory. */
export const EXPORT_PAGE_SIZE = 5000;

/** The CSV columns, in order (documented in the README). */
export const CSV_COLUMNS = {
  id: (r) => r.id,
  created_at: (r) => r.createdAt,
  user_id: (r) => r.userId,
  user_email: (r) => r.userEmail,
  user_name: (r) => r.userName,
  group_ids: (r) => r.groupIds.join(" "),
  chat_id: (r) => r.chatId,
  model_id: (r) => r.modelId,
  status: (r) => r.status,
  error_code: (r) => r.errorCode,
  prompt_tokens: (r) => r.promptTokens,
  completion_tokens: (r) => r.completionTokens,
  cached_tokens: (r) => r.cachedTokens,
  reasoning_tokens: (r) => r.reasoningTokens,
  usage_estimated: (r) => r.usageEstimated,
  prompt_price: (r) => r.promptPrice,
  completion_price: (r) => r.completionPrice,
  reserved_usd: (r) => r.reservedUsd,
  cost_usd: (r) => r.costUsd,
  ttft_ms: (r) => r.ttftMs,
  duration_ms: (r) => r.durationMs,
  upstream_id: (r) => r.upstreamId,
  verification: (r) => r.verification,
  api_key_id: (r) => r.apiKeyId,
} satisfies Record<string, (row: UsageRecordRow) => string | number | boolean | null>;

type CsvRecord = { [K in keyof typeof CSV_COLUMNS]: ReturnType<(typeof CSV_COLUMNS)[K]> };

function toCsvRecord(row: UsageRecordRow): CsvRecord {
  return Object.fromEntries(Object.entries(CSV_COLUMNS).map(([name, get]) => [name, get(row)])) as CsvRecord;
}

/** Every row the filters select, newest first, one keyset page at a time. */
export async function* allUsageRecords(filters: Omit<UsageFilters, "limit" | "cursor">): AsyncGenerator<UsageRecordRow> {
  let cursor: UsageRecordRow | undefined;
  for (;;) {
    const page = await usageRecordsPage(filters, { limit: EXPORT_PAGE_SIZE, cursor: cursor && { createdAt: new Date(cursor.createdAt), id: cursor.id } });
    yield* page.records;
    if (!page.nextCursor) return;
    cursor = page.records.at(-1);
  }
}

/** The CSV as a byte stream: rows flow from the database through csv-stringify with backpressure. */
export function usageCsvStream(filters: Omit<UsageFilters, "limit" | "cursor">): ReadableStream<Uint8Array> {
  const csv = stringify({
    header: true,
    columns: Object.keys(CSV_COLUMNS),
    cast: { boolean: (value) => (value ? "true" : "false") },
  });
  const source = Readable.from(
    (async function* () {
      for await (const row of allUsageRecords(filters)) yield toCsvRecord(row);
    })(),
  );
  source.on("error", (err) => {
    log.error("usage export failed", { err });
    csv.destroy(err);
  });
  source.pipe(csv);
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}

export const csvFilename = (filters: Pick<UsageFilters, "period">) =>
  `pillbox-usage-${filters.period.fromDay}-${filters.period.toDay}.csv`;
