import type { UIMessage } from "ai";

/** Stored with each assistant message and streamed to the client. */
export interface ReplyMetadata {
  modelId?: string;
  status?: "streaming" | "ok" | "error" | "aborted";
  errorCode?: string;
  errorMessage?: string;
  promptTokens?: number;
  completionTokens?: number;
}

export type ChatMessage = UIMessage<ReplyMetadata>;

export function messageText(message: Pick<UIMessage, "parts">): string {
  return message.parts.map((part) => (part.type === "text" ? part.text : "")).join("");
}
