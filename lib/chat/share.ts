import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { withShareToken } from "@/lib/chat/attachments";
import type { ChatMessage } from "@/lib/chat/types";
import { createShare, getActiveShare, getLiveShareByToken, listMessagesWithTime, revokeShares } from "@/lib/db/chat-history";
import type { ChatShare } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";

/**
 * A read-only link to a chat. The token is 256 random bits and is stored as it is (not hashed like
 * invite tokens): the owner can copy the link again at any time, and the token only grants reading
 * a chat that sits in the same database anyway. Revoking is the control: a revoked link is a 404.
 * Only signed-in members can open a link; anonymous visitors are sent to sign in and see nothing.
 */
export interface ShareLink {
  url: string;
  token: string;
  createdAt: string;
}

const tokenShape = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export function shareLink(share: Pick<ChatShare, "token" | "createdAt">, origin: string): ShareLink {
  return { url: `${origin}/share/${share.token}`, token: share.token, createdAt: share.createdAt.toISOString() };
}

export const currentShare = (chatId: string) => getActiveShare({ chatId });

/** The chat's live link, made when it has none. `created` says whether it is new. */
export async function ensureShare(chatId: string): Promise<{ share: ChatShare; created: boolean }> {
  const existing = await getActiveShare({ chatId });
  if (existing) return { share: existing, created: false };
  return { share: await createShare({ chatId, token: randomBytes(32).toString("base64url") }), created: true };
}

export const revokeShare = (chatId: string) => revokeShares({ chatId });

export interface SharedChat {
  title: string;
  ownerName: string;
  modelId: string;
  sharedAt: string;
  messages: ChatMessage[];
}

/** What a link shows: the chat as it is now (later messages included), read-only. 404 once revoked. */
export async function readSharedChat(token: string): Promise<SharedChat> {
  const share = tokenShape.safeParse(token).success ? await getLiveShareByToken({ token }) : null;
  if (!share) throw new AppError("not_found:chat", "This link does not exist or was revoked.");
  const rows = await listMessagesWithTime({ chatId: share.chatId });
  return {
    title: share.chat.title,
    ownerName: share.chat.user.deletedAt ? "A former member" : share.chat.user.name,
    modelId: share.chat.modelId,
    sharedAt: share.createdAt.toISOString(),
    messages: rows
      .filter((row) => row.role !== "system")
      .map((row) => ({
        id: row.id,
        role: row.role,
        parts: withShareToken(row.parts as unknown as ChatMessage["parts"], token),
        // Only what the reply was: the owner's budget notices and error details stay theirs.
        metadata: publicMetadata(row.metadata as ChatMessage["metadata"] | null),
      })),
  };
}

function publicMetadata(metadata: ChatMessage["metadata"] | null): ChatMessage["metadata"] {
  return {
    modelId: metadata?.modelId,
    status: metadata?.status === "streaming" ? undefined : metadata?.status,
    ...(metadata?.reasoningMs !== undefined ? { reasoningMs: metadata.reasoningMs } : {}),
  };
}
