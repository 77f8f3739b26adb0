import "server-only";
import type { UIMessage } from "ai";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { MessageRole } from "@/lib/db/generated/enums";

export const listMessages = async ({ chatId }: { chatId: string }): Promise<UIMessage[]> => {
  const rows = await db.message.findMany({ where: { chatId }, orderBy: { createdAt: "asc" } });
  return rows.map((row) => ({
    id: row.id,
    role: row.role,
    parts: row.parts as unknown as UIMessage["parts"],
    ...(row.metadata == null ? {} : { metadata: row.metadata }),
  }));
};

export const saveMessage = (message: {
  id: string;
  chatId: string;
  role: MessageRole;
  parts: UIMessage["parts"];
  metadata?: Prisma.InputJsonValue;
  createdAt?: Date;
}) =>
  db.message.create({
    data: { ...message, parts: message.parts as unknown as Prisma.InputJsonValue },
  });

export const deleteMessages = ({ chatId, ids }: { chatId: string; ids: string[] }) =>
  db.message.deleteMany({ where: { chatId, id: { in: ids } } });

export const findMessage = ({ chatId, id }: { chatId: string; id: string }) =>
  db.message.findFirst({ where: { chatId, id }, select: { id: true, role: true, metadata: true } });
