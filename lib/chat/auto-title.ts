import "server-only";
import { accessRulesFor, mayUseModel } from "@/lib/access/policy";
import type { CurrentUser } from "@/lib/auth/session";
import { cleanGeneratedTitle, titleFrom } from "@/lib/chat/title";
import { messageText, type ChatMessage } from "@/lib/chat/types";
import { getChat, retitleChat } from "@/lib/db/chats";
import { getModel } from "@/lib/db/models";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { describeUpstreamError } from "@/lib/redpill/errors";
import { languageModel, type UpstreamCall } from "@/lib/redpill/provider";
import { estimatePromptTokens, estimateTokens } from "@/lib/usage/cost";
import { reserveCall, settleCall, type ReservedCall } from "@/lib/usage/ledger";
import { effectiveLimits } from "@/lib/usage/rate-limits";

/** A title is a few words: this caps the call's cost (and its budget hold). */
export const TITLE_MAX_OUTPUT_TOKENS = 30;
/** How much of the first message and of the reply the title model reads. */
const EXCERPT_CHARS = 1500;

const INSTRUCTIONS =
  "You write titles for conversations. Reply with a title of at most six words in the conversation's language: " +
  "no quotes, no markdown, no full stop at the end.";

export type TitleOutcome =
  /** the chat has the title model's title */
  | "titled"
  /** the chat was renamed (or is gone), so it keeps its title and nothing was called */
  | "renamed"
  /** the title model is unknown, off, or not one the user may use: the first words stay */
  | "not_allowed"
  /** a budget has no room for the call: the first words stay */
  | "over_budget"
  /** the call failed or said nothing usable (recorded in the usage row): the first words stay */
  | "failed";

/** Whether a reply is the chat's first: nothing the model said before goes upstream with it. */
export const isFirstExchange = (history: ChatMessage[]): boolean =>
  history.some((m) => m.role === "user") && !history.some((m) => m.role === "assistant");

const excerpt = (text: string) => (text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text);

function titlePrompt(question: string, answer: string): UpstreamCall["prompt"] {
  return [
    { role: "system", content: INSTRUCTIONS },
    { role: "user", content: [{ type: "text", text: excerpt(question) }] },
    { role: "assistant", content: [{ type: "text", text: excerpt(answer) }] },
    { role: "user", content: [{ type: "text", text: "Write the title of this conversation." }] },
  ];
}

/**
 * Names a chat after its first exchange with the workspace's title model, like any other upstream
 * call: the user must be allowed the model, its cost is held against their budgets and settled in
 * its own usage row (the chat's id, no message). The chat keeps its automatic title (its first
 * words) when the model is not theirs, a budget is spent, the call fails, or they renamed the chat.
 */
export async function titleChat({
  user,
  chatId,
  titleModelId,
  timeZone,
  history,
  reply,
}: {
  user: CurrentUser;
  chatId: string;
  titleModelId: string;
  timeZone: string;
  /** what went upstream for the first reply: the first user message */
  history: ChatMessage[];
  reply: string;
}): Promise<TitleOutcome> {
  const question = messageText(history.find((m) => m.role === "user") ?? { parts: [] });
  const automatic = titleFrom(question);
  const [chat, model, rules] = await Promise.all([getChat({ id: chatId }), getModel({ id: titleModelId }), accessRulesFor(user)]);
  if (!chat || chat.userId !== user.id || chat.title !== automatic) return "renamed";
  if (!model || !mayUseModel({ user, model, rules })) return "not_allowed";

  const prompt = titlePrompt(question, reply);
  const promptEstimate = estimatePromptTokens([INSTRUCTIONS, excerpt(question), excerpt(reply)]);
  let call: ReservedCall;
  try {
    call = await reserveCall({
      userId: user.id,
      groupIds: rules.map((rule) => rule.id),
      chatId,
      model,
      promptTokens: promptEstimate,
      maxOutputTokens: TITLE_MAX_OUTPUT_TOKENS,
      timeZone,
    });
  } catch (error) {
    if (isAppError(error) && error.code === "payment_required:budget") return "over_budget";
    throw error;
  }

  const startedAt = performance.now();
  const settle = (outcome: Pick<Parameters<typeof settleCall>[1], "tokens" | "usageEstimated" | "status" | "errorCode" | "upstreamId">) =>
    settleCall(
      call,
      { model, messageId: null, ttftMs: null, durationMs: performance.now() - startedAt, ...outcome },
      { countTokensPerMinute: effectiveLimits(user, rules).tpm !== null },
    );

  let result: Awaited<ReturnType<ReturnType<typeof languageModel>["doGenerate"]>>;
  try {
    result = await languageModel(model.id).doGenerate({
      prompt,
      maxOutputTokens: TITLE_MAX_OUTPUT_TOKENS,
      abortSignal: AbortSignal.timeout(env.PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS),
      headers: { "x-redpill-metadata": JSON.stringify({ user_id: user.id }) },
    });
  } catch (error) {
    const failure = describeUpstreamError(error);
    log.warn("the title model failed", { code: failure.code, chatId, modelId: model.id, err: error });
    await settle({
      tokens: { promptTokens: 0, completionTokens: 0 },
      usageEstimated: true,
      status: failure.code === "stream_interrupted" ? "interrupted" : "error",
      errorCode: failure.code,
      upstreamId: null,
    });
    return "failed";
  }

  const text = result.content.map((part) => (part.type === "text" ? part.text : "")).join("");
  const { inputTokens, outputTokens } = result.usage;
  const reported = inputTokens.total !== undefined || outputTokens.total !== undefined;
  await settle({
    tokens: reported
      ? {
          promptTokens: inputTokens.total ?? 0,
          completionTokens: outputTokens.total ?? 0,
          cachedTokens: inputTokens.cacheRead ?? null,
          reasoningTokens: outputTokens.reasoning ?? null,
        }
      : { promptTokens: promptEstimate, completionTokens: estimateTokens(text) },
    usageEstimated: !reported,
    status: "ok",
    errorCode: null,
    upstreamId: result.response?.id ?? null,
  });

  const title = cleanGeneratedTitle(text);
  if (!title) return "failed";
  return (await retitleChat({ id: chatId, from: automatic, to: title })) ? "titled" : "renamed";
}
