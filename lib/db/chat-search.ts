import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

/** ts_headline's markers around each hit: control characters, stripped from the text beforehand. */
export const HIT_START = "\u0001";
export const HIT_END = "\u0002";

export interface SearchRow {
  chatId: string;
  title: string;
  updatedAt: Date;
  titleHeadline: string;
  titleMatched: boolean;
  messageId: string | null;
  snippet: string | null;
}

/**
 * The same expressions as the GIN indexes of migration 20261129014922_chat_history, so PostgreSQL
 * can use them: the 'simple' configuration (every language, no stemming) over the title, and over
 * the text parts of a message (not its part types, reasoning or tool calls).
 */
const titleVector = Prisma.sql`to_tsvector('simple'::regconfig, c."title")`;
const messageVector = Prisma.sql`to_tsvector('simple'::regconfig, jsonb_path_query_array(m."parts", '$[*] ? (@.type == "text").text'))`;
const messageText = Prisma.sql`(SELECT translate(string_agg(t, ' '), ${HIT_START + HIT_END}, '')
  FROM jsonb_array_elements_text(jsonb_path_query_array(m."parts", '$[*] ? (@.type == "text").text')) AS t)`;

const TITLE_OPTIONS = `HighlightAll=true, StartSel=${HIT_START}, StopSel=${HIT_END}`;
/** One window around the best cover of the hits: a short message shows whole, a long one the part that matched. */
const SNIPPET_OPTIONS = `StartSel=${HIT_START}, StopSel=${HIT_END}, MaxWords=28, MinWords=12`;

/**
 * The caller's chats whose title or message text matches, best first: title matches, then rank,
 * then the most recent. One row per chat, with its best-matching message for the snippet.
 * `query`: websearch syntax ("a phrase", or, -word); `prefix`: the last word, when it should also
 * match as the start of a word (search as you type), with `head` the query before it.
 */
export async function searchChats({
  userId,
  query,
  prefix,
  limit,
}: {
  userId: string;
  query: string;
  prefix: { head: string; word: string } | null;
  limit: number;
}): Promise<SearchRow[]> {
  const tsquery = prefix
    ? Prisma.sql`(websearch_to_tsquery('simple', ${prefix.head}) && to_tsquery('simple', ${`${prefix.word}:*`}))`
    : Prisma.sql`websearch_to_tsquery('simple', ${query})`;
  return db.$queryRaw<SearchRow[]>`
    WITH q AS (SELECT ${tsquery} AS query),
    title_hits AS (
      SELECT c."id" AS "chatId", ts_rank(${titleVector}, q.query) AS rank
      FROM "Chat" c, q
      WHERE c."userId" = ${userId}::uuid AND ${titleVector} @@ q.query
    ),
    message_hits AS (
      SELECT DISTINCT ON (m."chatId") m."chatId", m."id" AS "messageId", ts_rank(${messageVector}, q.query) AS rank
      FROM "Message" m JOIN "Chat" c ON c."id" = m."chatId", q
      WHERE c."userId" = ${userId}::uuid AND m."role" <> 'system' AND ${messageVector} @@ q.query
      ORDER BY m."chatId", rank DESC, m."createdAt" DESC
    ),
    best AS (
      SELECT coalesce(t."chatId", h."chatId") AS "chatId", h."messageId",
             t."chatId" IS NOT NULL AS "titleMatched", greatest(t.rank, h.rank) AS rank
      FROM title_hits t FULL JOIN message_hits h ON h."chatId" = t."chatId"
    ),
    page AS (
      SELECT b.*, c."title", c."updatedAt"
      FROM best b JOIN "Chat" c ON c."id" = b."chatId"
      ORDER BY b."titleMatched" DESC, b.rank DESC, c."updatedAt" DESC, c."id" DESC
      LIMIT ${limit}
    )
    SELECT p."chatId", p."title", p."updatedAt", p."titleMatched", p."messageId",
           ts_headline('simple', translate(p."title", ${HIT_START + HIT_END}, ''), q.query, ${TITLE_OPTIONS}) AS "titleHeadline",
           (SELECT ts_headline('simple', ${messageText}, q.query, ${SNIPPET_OPTIONS}) FROM "Message" m WHERE m."id" = p."messageId") AS snippet
    FROM page p, q
    ORDER BY p."titleMatched" DESC, p.rank DESC, p."updatedAt" DESC, p."chatId" DESC`;
}
