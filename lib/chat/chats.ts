import "server-only";
import type { UIMessage } from "ai";
import { z } from "zod";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import { getChat, saveUserTurnRows } from "@/lib/db/chats";
import type { Chat } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/http/handler";
import type { ChatSettings } from "@/lib/chat/settings";
import { titleFrom } from "@/lib/chat/title";
import { messageText, type ChatMessage } from "@/lib/chat/types";

/** A chat id the user may write to: their own chat, or one that does not exist yet (403 otherwise). */
export function assertChatAccess({ chat, user }: { chat: Chat | null; user: CurrentUser }): void {
  if (chat && chat.userId !== user.id) throw new AppError("forbidden:chat", "This chat belongs to someone else.");
}

/** Creates the chat on its first message (or bumps it to the top), then stores the user's message. */
export async function saveUserTurn({
  user,
  chatId,
  exists,
  modelId,
  message,
  settings,
  replaces,
}: {
  user: CurrentUser;
  chatId: string;
  exists: boolean;
  modelId: string;
  message: Pick<UIMessage, "id" | "parts">;
  /** replaces the chat's settings; undefined leaves them */
  settings?: ChatSettings;
  /** messages the new one replaces (an edit): removed in the same statement */
  replaces?: string[];
}): Promise<void> {
  const chat = { id: chatId, userId: user.id, title: titleFrom(messageText(message)), modelId };
  if (!(await saveUserTurnRows({ chat, exists, message, settings, replaces }))) {
    throw new AppError("not_found:chat", exists ? "The chat is gone." : "This chat belongs to someone else.");
  }
}

export async function requireOwnedChat({ user, chatId }: { user: CurrentUser; chatId: string }) {
  const chat = await getChat({ id: chatId });
  if (!chat || chat.userId !== user.id) throw new AppError("not_found:chat", "Chat not found.");
  return chat;
}

const chatRouteParams = z.object({ id: z.uuid() });
/** The second argument of a `/api/chats/:id/…` route handler. */
export type ChatRouteContext = { params: Promise<{ id: string }> };

/** The chat id of a `/api/chats/:id/…` route (400 when it is not a uuid). */
export const chatIdOf = async (context: ChatRouteContext) => parseWith(chatRouteParams, await context.params).id;

/**
 * For a `/api/chats/:id/…` route with nothing else to validate: the signed-in user (401 first),
 * then their own chat; anyone else's chat is the same 404 as one that does not exist.
 */
export async function requireOwnedChatOf(request: Request, context: ChatRouteContext) {
  const user = await requireUser(request);
  return requireOwnedChat({ user, chatId: await chatIdOf(context) });
}

/**
 * For "regenerate": the history up to the chat's last user message, and the replies after it
 * that the new reply replaces. 400 when there is no user message to answer.
 */
export function splitForRegenerate(history: ChatMessage[]): { prompt: ChatMessage[]; replaced: string[] } {
  const lastUser = history.findLastIndex((m) => m.role === "user");
  if (lastUser < 0) throw new AppError("bad_request:chat", "There is no message to answer again.");
  return { prompt: history.slice(0, lastUser + 1), replaced: history.slice(lastUser + 1).map((m) => m.id) };
}

/**
 * For an edit: the history before the edited user message, and the ids of that message and of
 * everything after it, which the edited message replaces. 404 when it is not a user message of
 * the chat (or is too far back to have been loaded).
 */
export function splitForEdit(history: ChatMessage[], messageId: string): { before: ChatMessage[]; replaced: string[] } {
  const index = history.findIndex((m) => m.id === messageId);
  if (index < 0 || history[index].role !== "user") {
    throw new AppError("not_found:chat", "That message is not in this chat, or is too far back to edit.");
  }
  return { before: history.slice(0, index), replaced: history.slice(index).map((m) => m.id) };
}
