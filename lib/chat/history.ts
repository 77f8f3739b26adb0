import "server-only";
import { z } from "zod";
import { chatSettingsSchema, compactSettings } from "@/lib/chat/settings";
import { listPinnedChats, listUnpinnedChats, updateChatDetails, type ChatListRow } from "@/lib/db/chat-history";
import type { Chat } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/** A page of the sidebar: pinned chats first (most recently pinned first), then the rest by last activity. */
export interface ChatPage {
  chats: ChatListRow[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 100;

export const listParams = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(200).optional(),
});

/** The position after a chat: opaque to clients (base64url JSON). */
const cursorShape = z.object({ id: z.uuid(), pinnedAt: z.iso.datetime().nullable(), updatedAt: z.iso.datetime() });

function encodeCursor(chat: ChatListRow): string {
  const position = { id: chat.id, pinnedAt: chat.pinnedAt?.toISOString() ?? null, updatedAt: chat.updatedAt.toISOString() };
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

function decodeCursor(cursor: string): z.infer<typeof cursorShape> {
  try {
    return cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("bad_request:chat", "That cursor is not valid. Start again without one.");
  }
}

/**
 * One page of the user's chats. Keyset pagination: a page starts strictly after the cursor's
 * chat, so nothing is skipped or repeated while chats below it stay put.
 */
export async function listChatPage({ userId, limit, cursor }: { userId: string; limit: number; cursor?: string }): Promise<ChatPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  let chats: ChatListRow[] = [];
  if (!after || after.pinnedAt) {
    const pinnedAfter = after?.pinnedAt ? { pinnedAt: new Date(after.pinnedAt), id: after.id } : undefined;
    chats = await listPinnedChats({ userId, after: pinnedAfter, take: limit + 1 });
  }
  if (chats.length <= limit) {
    const unpinnedAfter = after && !after.pinnedAt ? { updatedAt: new Date(after.updatedAt), id: after.id } : undefined;
    chats = chats.concat(await listUnpinnedChats({ userId, after: unpinnedAfter, take: limit + 1 - chats.length }));
  }
  const more = chats.length > limit;
  const page = chats.slice(0, limit);
  return { chats: page, nextCursor: more ? encodeCursor(page.at(-1)!) : null };
}

export const chatChange = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    pinned: z.boolean().optional(),
    /** replaces the chat's model settings (`{}` clears them: the workspace defaults apply) */
    settings: chatSettingsSchema.optional(),
  })
  .refine(
    (change) => change.title !== undefined || change.pinned !== undefined || change.settings !== undefined,
    "Send a title, pinned or settings.",
  );

/** Rename, pin and/or change the model settings: keeps the chat's place in time (see updateChatDetails). */
export function changeChat(chat: Chat, change: z.infer<typeof chatChange>) {
  const pinnedAt = change.pinned === undefined ? undefined : change.pinned ? (chat.pinnedAt ?? new Date()) : null;
  const settings = change.settings === undefined ? undefined : compactSettings(change.settings);
  return updateChatDetails({ id: chat.id, updatedAt: chat.updatedAt, title: change.title, pinnedAt, settings });
}
