import "server-only";
import type { CurrentUser } from "@/lib/auth/session";
import { createChat, getChat, touchChat } from "@/lib/db/chats";
import { AppError } from "@/lib/errors";

const TITLE_LENGTH = 60;

export function titleFrom(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line || "New chat";
}

/** The user's chat with this id, created on first message; someone else's chat is a 403. */
export async function openChat({
  user,
  chatId,
  modelId,
  firstText,
}: {
  user: CurrentUser;
  chatId: string;
  modelId: string;
  firstText: string;
}) {
  const existing = await getChat({ id: chatId });
  if (existing && existing.userId !== user.id) {
    throw new AppError("forbidden:chat", "This chat belongs to someone else.");
  }
  if (existing) return touchChat({ id: chatId, modelId });
  try {
    return await createChat({ id: chatId, userId: user.id, title: titleFrom(firstText), modelId });
  } catch (error) {
    // Two requests creating the same chat at once: the loser re-reads the winner's row.
    const raced = await getChat({ id: chatId });
    if (raced?.userId === user.id) return raced;
    throw error;
  }
}

export async function requireOwnedChat({ user, chatId }: { user: CurrentUser; chatId: string }) {
  const chat = await getChat({ id: chatId });
  if (!chat || chat.userId !== user.id) throw new AppError("not_found:chat", "Chat not found.");
  return chat;
}
