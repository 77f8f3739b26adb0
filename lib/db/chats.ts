import "server-only";
import { db } from "@/lib/db/client";

export const listChatsForUser = ({ userId, limit = 100 }: { userId: string; limit?: number }) =>
  db.chat.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: { id: true, title: true, modelId: true, updatedAt: true },
  });

export const getChat = ({ id }: { id: string }) => db.chat.findUnique({ where: { id } });

export const createChat = (chat: { id: string; userId: string; title: string; modelId: string }) =>
  db.chat.create({ data: chat });

export const touchChat = ({ id, modelId }: { id: string; modelId: string }) =>
  db.chat.update({ where: { id }, data: { modelId, updatedAt: new Date() } });

export const renameChat = ({ id, title }: { id: string; title: string }) =>
  db.chat.update({ where: { id }, data: { title } });

/** Messages go with the chat; usage rows stay (their chatId becomes null). */
export const deleteChat = ({ id }: { id: string }) => db.chat.delete({ where: { id } });
