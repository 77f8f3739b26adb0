import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/** What the sidebar shows of a chat. */
export const chatListSelect = { id: true, title: true, modelId: true, updatedAt: true, pinnedAt: true } as const;
export type ChatListRow = Prisma.ChatGetPayload<{ select: typeof chatListSelect }>;

/** Pinned chats come first, most recently pinned first; ids break ties. */
export const listPinnedChats = ({ userId, after, take }: { userId: string; after?: { pinnedAt: Date; id: string }; take: number }) =>
  db.chat.findMany({
    where: {
      userId,
      pinnedAt: { not: null },
      ...(after ? { OR: [{ pinnedAt: { lt: after.pinnedAt } }, { pinnedAt: after.pinnedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ pinnedAt: "desc" }, { id: "desc" }],
    take,
    select: chatListSelect,
  });

/** Then the others, most recently active first. */
export const listUnpinnedChats = ({ userId, after, take }: { userId: string; after?: { updatedAt: Date; id: string }; take: number }) =>
  db.chat.findMany({
    where: {
      userId,
      pinnedAt: null,
      ...(after ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take,
    select: chatListSelect,
  });

/**
 * Renames or pins a chat without bumping `updatedAt`: the sidebar orders and groups chats by their
 * last message, and tidying one up is not activity.
 */
export const updateChatDetails = ({
  id,
  updatedAt,
  title,
  pinnedAt,
  settings,
}: {
  id: string;
  updatedAt: Date;
  title?: string;
  pinnedAt?: Date | null;
  settings?: Prisma.InputJsonObject;
}) => db.chat.update({ where: { id }, data: { title, pinnedAt, settings, updatedAt } });

/** Every message of a chat with its time, oldest first (for export and the shared view). */
export const listMessagesWithTime = ({ chatId }: { chatId: string }) =>
  db.message.findMany({
    where: { chatId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, role: true, parts: true, metadata: true, createdAt: true },
  });

export const getActiveShare = ({ chatId }: { chatId: string }) =>
  db.chatShare.findFirst({ where: { chatId, revokedAt: null }, orderBy: { createdAt: "desc" } });

export const createShare = ({ chatId, token }: { chatId: string; token: string }) => db.chatShare.create({ data: { chatId, token } });

export const revokeShares = ({ chatId }: { chatId: string }) =>
  db.chatShare.updateMany({ where: { chatId, revokedAt: null }, data: { revokedAt: new Date() } });

/** A live share by its token, with the chat and its owner's name. */
export const getLiveShareByToken = ({ token }: { token: string }) =>
  db.chatShare.findFirst({
    where: { token, revokedAt: null },
    include: { chat: { include: { user: { select: { name: true, deletedAt: true } } } } },
  });
