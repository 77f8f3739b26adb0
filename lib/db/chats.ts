import "server-only";
import type { UIMessage } from "ai";
import type { ChatSettings } from "@/lib/chat/settings";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

export const listChatsForUser = ({ userId, limit = 100 }: { userId: string; limit?: number }) =>
  db.chat.findMany({
    where: { userId },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: { id: true, title: true, modelId: true, updatedAt: true },
  });

export const getChat = ({ id }: { id: string }) => db.chat.findUnique({ where: { id } });

export const touchChat = ({ id, modelId, settings }: { id: string; modelId: string; settings?: ChatSettings }) =>
  db.chat.update({ where: { id }, data: { modelId, updatedAt: new Date(), ...(settings ? { settings } : {}) } });

export const renameChat = ({ id, title }: { id: string; title: string }) =>
  db.chat.update({ where: { id }, data: { title } });

/** Messages go with the chat; usage rows stay (their chatId becomes null). */
export const deleteChat = ({ id }: { id: string }) => db.chat.delete({ where: { id } });

/**
 * The user's side of a chat turn in one statement: bumps the chat to the top (`exists`) or creates
 * it, removes the messages an edit replaces, then stores the user's message. A new chat that the
 * same user's other request created meanwhile is used as it is; one that is someone else's, or a
 * chat that is gone, stores nothing: then it returns false.
 */
export async function saveUserTurnRows({
  chat,
  exists,
  message,
  settings,
  replaces = [],
}: {
  chat: { id: string; userId: string; title: string; modelId: string };
  exists: boolean;
  message: Pick<UIMessage, "id" | "parts">;
  /** the chat's new settings; undefined leaves them as they are */
  settings?: ChatSettings;
  /** ids of the chat's messages that the new one replaces (an edit), deleted in the same statement */
  replaces?: string[];
}): Promise<boolean> {
  const now = new Date();
  const json = settings === undefined ? null : JSON.stringify(settings);
  const target = exists
    ? Prisma.sql`UPDATE "Chat" SET "modelId" = ${chat.modelId}, "updatedAt" = ${now},
        "settings" = COALESCE(${json}::jsonb, "settings") WHERE "id" = ${chat.id}::uuid RETURNING "id"`
    : Prisma.sql`INSERT INTO "Chat" ("id", "userId", "title", "modelId", "settings", "createdAt", "updatedAt")
        VALUES (${chat.id}::uuid, ${chat.userId}::uuid, ${chat.title}, ${chat.modelId}, ${json}::jsonb, ${now}, ${now})
        ON CONFLICT ("id") DO UPDATE SET "id" = EXCLUDED."id" WHERE "Chat"."userId" = EXCLUDED."userId"
        RETURNING "id"`;
  const replaced =
    replaces.length === 0
      ? Prisma.empty
      : Prisma.sql`replaced AS (DELETE FROM "Message" m USING "Chat" c
          WHERE m."chatId" = c."id" AND c."id" = ${chat.id}::uuid AND c."userId" = ${chat.userId}::uuid
            AND m."id" = ANY(${replaces}::text[])),`;
  const saved = await db.$executeRaw`
    WITH ${replaced} chat AS (${target})
    INSERT INTO "Message" ("id", "chatId", "role", "parts", "createdAt")
    SELECT ${message.id}, chat."id", 'user'::"MessageRole", ${JSON.stringify(message.parts)}::jsonb, ${now} FROM chat`;
  return saved > 0;
}

/**
 * Gives a chat the title model's title, only while it still has the automatic one (`from`): a
 * chat its owner renamed meanwhile keeps their title. Its place in time (`updatedAt`) stays.
 * True when the title changed.
 */
export async function retitleChat({ id, from, to }: { id: string; from: string; to: string }): Promise<boolean> {
  const changed = await db.$executeRaw`UPDATE "Chat" SET "title" = ${to} WHERE "id" = ${id}::uuid AND "title" = ${from}`;
  return changed > 0;
}
