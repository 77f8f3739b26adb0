import type { UIMessage } from "ai";

/** Stored with each assistant message and streamed to the client. */
export interface ReplyMetadata {
  modelId?: string;
  status?: "streaming" | "ok" | "error" | "aborted";
  errorCode?: string;
  errorMessage?: string;
  /** e.g. "You have used 85% of your monthly budget" — shown with the reply, not stored */
  notices?: string[];
  promptTokens?: number;
  completionTokens?: number;
  /** how many of the oldest messages were left out to fit the model's context */
  droppedMessages?: number;
  /** streamed only: the id the server stored the user's new message under, which the client adopts */
  userMessageId?: string;
  /** how long the model thought before its answer began (reasoning models only) */
  reasoningMs?: number;
  /** set at the end of a chat's first exchange while the title model names it; not stored */
  titlePending?: boolean;
  /**
   * A TEE model's reply: how its verification stands (streamed as pending, then read from
   * /api/chats/:chatId/messages/:messageId/verification; the chat page adds the stored one).
   * `required`: a group of the user requires verified replies, so a failure is flagged.
   */
  verification?: { status: "pending" | "verified" | "failed"; required?: boolean };
}

export type ChatMessage = UIMessage<ReplyMetadata>;

export function messageText(message: Pick<UIMessage, "parts">): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}
