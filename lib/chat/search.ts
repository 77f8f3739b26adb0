import "server-only";
import { z } from "zod";
import { HIT_END, HIT_START, searchChats } from "@/lib/db/chat-search";

/** A piece of a title or snippet; `hit` marks the words that matched. Rendered as text, never as HTML. */
export interface Segment {
  text: string;
  hit: boolean;
}

export interface SearchResult {
  chatId: string;
  title: string;
  updatedAt: string;
  /** The title in pieces, matched words marked. */
  titleHighlight: Segment[];
  /** The best-matching message, when the match is in a message: its id and an excerpt around the hits. */
  messageId: string | null;
  snippet: Segment[] | null;
}

export const searchParams = z.object({
  q: z.string().trim().min(1, "Type something to search for.").max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** "quarterly num" → also finds "numbers": a plain last word matches as the start of a word. */
export function prefixOf(query: string): { head: string; word: string } | null {
  const match = /(?:^|\s)([\p{L}\p{N}]+)$/u.exec(query);
  if (!match) return null;
  if ((query.match(/"/g)?.length ?? 0) % 2 === 1) return null; // inside an open "phrase"
  return { head: query.slice(0, match.index).trim(), word: match[1]!.toLowerCase() };
}

/** ts_headline's output, split on its markers. */
export function segments(headline: string): Segment[] {
  const out: Segment[] = [];
  for (const [i, piece] of headline.split(HIT_START).entries()) {
    const end = i === 0 ? 0 : piece.indexOf(HIT_END);
    const hit = end < 0 ? piece : piece.slice(0, end);
    const rest = end < 0 ? "" : piece.slice(i === 0 ? 0 : end + 1);
    if (hit) out.push({ text: hit, hit: true });
    if (rest) out.push({ text: rest, hit: false });
  }
  return out;
}

export async function searchOwnChats({ userId, q, limit }: { userId: string } & z.infer<typeof searchParams>): Promise<SearchResult[]> {
  const rows = await searchChats({ userId, query: q, prefix: prefixOf(q), limit });
  return rows.map((row) => ({
    chatId: row.chatId,
    title: row.title,
    updatedAt: row.updatedAt.toISOString(),
    titleHighlight: row.titleMatched ? segments(row.titleHeadline) : [{ text: row.title, hit: false }],
    messageId: row.messageId,
    snippet: row.snippet ? segments(row.snippet) : null,
  }));
}
