import "server-only";
import { db } from "@/lib/db/client";

/** A stored attachment without its bytes. */
export const attachmentInfoSelect = {
  id: true,
  userId: true,
  chatId: true,
  mediaType: true,
  filename: true,
  size: true,
  createdAt: true,
} as const;

export interface NewAttachmentRow {
  id: string;
  userId: string;
  chatId: string | null;
  mediaType: string;
  filename: string;
  size: number;
  /** null when the bytes are a file under UPLOAD_DIR */
  bytes: Uint8Array<ArrayBuffer> | null;
}

export const createAttachments = (rows: NewAttachmentRow[]) => db.attachment.createMany({ data: rows });

/** The user's own attachments among `ids` (what a message may reference), without bytes. */
export const listOwnAttachments = ({ userId, ids }: { userId: string; ids: string[] }) =>
  db.attachment.findMany({ where: { userId, id: { in: ids } }, select: attachmentInfoSelect });

/** Attachments of one chat among `ids`, with their bytes (for the model's prompt). */
export const listChatAttachmentsWithBytes = ({ chatId, userId, ids }: { chatId: string; userId: string; ids: string[] }) =>
  db.attachment.findMany({ where: { userId, id: { in: ids }, OR: [{ chatId }, { chatId: null }] } });

export const getAttachment = ({ id }: { id: string }) => db.attachment.findUnique({ where: { id } });

/** Uploads a message now uses join its chat (one chat each: an attachment already in a chat stays there). */
export const claimAttachments = ({ userId, chatId, ids }: { userId: string; chatId: string; ids: string[] }) =>
  db.attachment.updateMany({ where: { userId, id: { in: ids }, chatId: null }, data: { chatId } });

/** Whether `token` is a live (not revoked) share link of the chat. */
export const isLiveShareOf = async ({ chatId, token }: { chatId: string; token: string }) =>
  (await db.chatShare.count({ where: { chatId, token, revokedAt: null } })) > 0;

/** Ids of the attachments whose bytes are files under UPLOAD_DIR, in one chat or in all of a user's chats. */
export const listFileAttachmentIds = async (scope: { chatId: string } | { chatsOfUserId: string }) =>
  (
    await db.attachment.findMany({
      where: { bytes: null, ...("chatId" in scope ? { chatId: scope.chatId } : { chat: { userId: scope.chatsOfUserId } }) },
      select: { id: true },
    })
  ).map(({ id }) => id);
