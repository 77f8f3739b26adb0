import type { ChatMessage } from "@/lib/chat/types";

type Part = ChatMessage["parts"][number];

/**
 * A reply's parts as stored: the model's thinking (a `reasoning` part, the AI SDK's UIMessage
 * shape) before its answer, each only when there is some.
 */
export function replyParts({ reasoning, text }: { reasoning: string; text: string }): Part[] {
  return [...(reasoning ? [{ type: "reasoning" as const, text: reasoning }] : []), ...(text ? [{ type: "text" as const, text }] : [])];
}

/** The thinking a reply showed, joined (empty when the model did not reason). */
export function messageReasoning(message: Pick<ChatMessage, "parts">): string {
  return message.parts.map((part) => (part.type === "reasoning" ? part.text : "")).join("");
}

/**
 * Whether a stored message has anything to send upstream. Reasoning never goes back to the model,
 * so a reply stopped while it was still thinking is left out like a reply with no parts.
 */
export function hasPromptContent(message: Pick<ChatMessage, "parts">): boolean {
  return message.parts.some((part) => part.type !== "reasoning");
}
