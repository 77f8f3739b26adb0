import "server-only";
import type { UIMessage } from "ai";
import { listVerificationStatuses } from "@/lib/db/message-verifications";

/** The chat's messages with each TEE reply's verification status in its metadata, as the chat view shows it. */
export async function withVerifications(chatId: string, messages: Promise<UIMessage[]>): Promise<UIMessage[]> {
  const [list, verifications] = await Promise.all([messages, listVerificationStatuses({ chatId })]);
  if (verifications.length === 0) return list;
  const byId = new Map(verifications.map((v) => [v.messageId, { status: v.status, required: v.required }]));
  return list.map((message) => {
    const verification = byId.get(message.id);
    return verification ? { ...message, metadata: { ...(message.metadata as object | undefined), verification } } : message;
  });
}
