import type { FileUIPart } from "ai";
import { AppError } from "@/lib/errors";
import { estimatePromptTokens } from "@/lib/usage/cost";
import { messageText, type ChatMessage } from "@/lib/chat/types";

/** What one file part adds to the prompt, in tokens. */
export type FileTokens = (part: FileUIPart) => number;

/**
 * A message's tokens as the reservation counts them (estimatePromptTokens: on the high side, so a
 * conversation that fits by this count fits upstream too), its files included.
 */
export function messageTokens(message: Pick<ChatMessage, "parts">, fileTokens: FileTokens): number {
  let tokens = estimatePromptTokens([messageText(message)]);
  for (const part of message.parts) if (part.type === "file") tokens += fileTokens(part);
  return tokens;
}

export interface FittedContext {
  /** the turns sent: the newest ones that fit, each user message with the replies that follow it */
  history: ChatMessage[];
  /** how many stored messages were left out, oldest first */
  dropped: number;
  /** the prompt's tokens as counted */
  promptTokens: number;
  /** the output cap to send: the requested one, lowered so prompt + output fit the context */
  maxOutputTokens: number;
}

/**
 * Fits a conversation into the model's context window (from the catalog) before it is sent:
 * the oldest turns are dropped whole, never the system prompt and never the newest user message,
 * and the output cap is lowered to the room left, so RedPill never gets a request that overflows.
 * Room for at least a quarter of the window (or the requested cap, if smaller) stays for the reply.
 * A model without a known context length gets the conversation as it is. 400 when the system
 * prompt and the newest message alone do not fit.
 */
export function fitToContext({
  system,
  history,
  contextLength,
  maxOutputTokens,
  fileTokens,
}: {
  system: string | undefined;
  history: ChatMessage[];
  contextLength: number | null;
  maxOutputTokens: number;
  fileTokens: FileTokens;
}): FittedContext {
  const systemTokens = system ? estimatePromptTokens([system]) : 0;
  const costs = history.map((message) => messageTokens(message, fileTokens));
  const total = costs.reduce((sum, n) => sum + n, systemTokens);
  if (contextLength === null) return { history, dropped: 0, promptTokens: total, maxOutputTokens };

  const outputRoom = Math.min(maxOutputTokens, Math.floor(contextLength / 4));
  const room = contextLength - outputRoom;
  // Turns start at user messages; the newest one must stay.
  const lastUser = history.findLastIndex((m) => m.role === "user");
  let start = 0;
  let promptTokens = total;
  while (promptTokens > room) {
    if (start >= lastUser) {
      throw new AppError(
        "bad_request:chat",
        `This message is too long for the model: it needs about ${promptTokens.toLocaleString("en-US")} tokens, ` +
          `and the model reads at most ${contextLength.toLocaleString("en-US")} (with room for its reply). ` +
          "Shorten it, or pick a model with a longer context.",
      );
    }
    const next = history.findIndex((m, i) => i > start && m.role === "user");
    for (let i = start; i < next; i++) promptTokens -= costs[i];
    start = next;
  }
  return {
    history: start === 0 ? history : history.slice(start),
    dropped: start,
    promptTokens,
    maxOutputTokens: Math.max(1, Math.min(maxOutputTokens, contextLength - promptTokens)),
  };
}
