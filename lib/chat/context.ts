import { AppError } from "@/lib/errors";
import { estimatePromptTokens } from "@/lib/usage/cost";
import { messageText, type ChatMessage } from "@/lib/chat/types";

/** What an attached file counts for, whatever its size: images are billed by their tiles upstream. */
const FILE_PART_TOKENS = 1_000;

/**
 * A message's tokens as the reservation counts them (estimatePromptTokens: on the high side, so a
 * conversation that fits by this count fits upstream too).
 */
export function messageTokens(message: Pick<ChatMessage, "parts">): number {
  const files = message.parts.filter((part) => part.type === "file").length;
  return estimatePromptTokens([messageText(message)]) + files * FILE_PART_TOKENS;
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
}: {
  system: string | undefined;
  history: ChatMessage[];
  contextLength: number | null;
  maxOutputTokens: number;
}): FittedContext {
  const systemTokens = system ? estimatePromptTokens([system]) : 0;
  const costs = history.map(messageTokens);
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
