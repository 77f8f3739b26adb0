import "server-only";
import { generateId } from "ai";
import type { CurrentUser } from "@/lib/auth/session";
import type { Model } from "@/lib/db/generated/client";
import { deleteMessages, saveMessage } from "@/lib/db/messages";
import { writeOrRetry } from "@/lib/db/retry-queue";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { ChatSettings } from "@/lib/chat/settings";
import { uiMessageStreamResponse, type ChunkWriter } from "@/lib/chat/ui-stream-response";
import { log } from "@/lib/log";
import { keepAlive } from "@/lib/server/after-response";
import { holdOpen, shutdownSignal } from "@/lib/server/shutdown";
import { describeUpstreamError, type UpstreamFailure } from "@/lib/redpill/errors";
import { languageModel } from "@/lib/redpill/provider";
import { estimateTokens } from "@/lib/usage/cost";
import { settleCall, type CallOutcome, type ReservedCall } from "@/lib/usage/ledger";
import { isFirstExchange, titleChat } from "@/lib/chat/auto-title";
import { replyParts } from "@/lib/chat/reasoning";
import { messageText, type ChatMessage, type ReplyMetadata } from "@/lib/chat/types";
import { driveReply, toPrompt, type UpstreamUsage } from "@/lib/chat/reply-stream";
import type { PromptFiles } from "@/lib/chat/attachments";
import { captureExchange, type ExchangeHashes } from "@/lib/tee/capture";
import { startReplyVerification } from "@/lib/tee/reply";

type Ending =
  | { status: "ok"; usage: UpstreamUsage | null; upstreamId: string | null }
  | { status: "error"; failure: UpstreamFailure }
  | { status: "aborted" };

interface ReplyInput {
  request: Request;
  receivedAt: number;
  user: CurrentUser;
  chatId: string;
  model: Model;
  history: ChatMessage[];
  /** The chat's settings over the workspace defaults, with the output cap the call was reserved for. */
  settings: ChatSettings & { maxOutputTokens: number };
  /** The usage row reserved for this call before anything went upstream. */
  call: ReservedCall;
  /** Whether the user has a tokens-per-minute limit to count this call's tokens against. */
  countTokensPerMinute: boolean;
  /**
   * Stores the user's side of the turn (the new message, or bumps the chat for a regenerate). It
   * runs once the first token is on its way to the browser (or when the call ends without one), so
   * its writes stay off the time to first token; the reply is stored after.
   */
  saveUserTurn: () => Promise<void>;
  /** Replies a regenerate replaces: removed only once the new reply finished well. */
  replaces?: string[];
  /** How many of the oldest messages were left out to fit the model's context. */
  droppedMessages?: number;
  /** The id the user's new message is stored under (none for a regenerate). */
  userMessageId?: string;
  /** The workspace's title model: it names the chat once its first reply finished well. */
  titleModelId?: string | null;
  /** The prompt parts of the history's file parts (lib/chat/attachments.ts); without it they are left out. */
  files?: PromptFiles["resolve"];
}

/** A stream that broke off (cut, or closed without a finish reason) is `interrupted`, not an error. */
const INTERRUPTED = "stream_interrupted";

function settledStatus(ending: Ending): CallOutcome["status"] {
  if (ending.status === "error" && ending.failure.code === INTERRUPTED) return "interrupted";
  return ending.status;
}

function reportedTokens(usage: UpstreamUsage | null): CallOutcome["tokens"] | null {
  if (!usage || (usage.inputTokens.total === undefined && usage.outputTokens.total === undefined)) return null;
  return {
    promptTokens: usage.inputTokens.total ?? 0,
    completionTokens: usage.outputTokens.total ?? 0,
    cachedTokens: usage.inputTokens.cacheRead ?? null,
    reasoningTokens: usage.outputTokens.reasoning ?? null,
  };
}

/**
 * Streams the model's reply to `useChat` and, however the call ends (finished, upstream error,
 * cut stream, Stop or a closed tab), saves what arrived and settles the call's usage row once.
 */
export async function streamReply({
  request,
  receivedAt,
  user,
  chatId,
  model,
  history,
  settings,
  call,
  countTokensPerMinute,
  saveUserTurn,
  replaces = [],
  droppedMessages = 0,
  userMessageId,
  titleModelId = null,
  files,
}: ReplyInput): Promise<Response> {
  let userTurn: Promise<void> | null = null;
  const storeUserTurn = () => {
    if (!userTurn) {
      const attempt = saveUserTurn();
      userTurn = attempt;
      // A failure is reported when the reply is persisted; until then it is not unhandled. With the
      // database unreachable, the retry of the reply's writes tries again.
      attempt.catch((err: unknown) => {
        if (isDatabaseUnavailable(err) && userTurn === attempt) userTurn = null;
      });
    }
    return userTurn;
  };
  const assistantId = generateId();
  const promptText = [settings.system ?? "", ...history.map(messageText)].join("\n");
  let text = "";
  let reasoning = "";
  let firstTokenAt: number | null = null;
  let reasoningStartedAt: number | null = null;
  let reasoningMs: number | null = null;
  let settled: Promise<void> | null = null;
  let titling = false;
  /** Work that outlives the response (a queued retry, the title): the function is kept alive for it. */
  const afterwards: Promise<unknown>[] = [];
  // A TEE model's reply is verified once stored: the exact bytes exchanged are hashed for it.
  const hashes: ExchangeHashes | null = model.isTee ? { requestSha256: null, responseSha256: null } : null;
  let verifying: Promise<boolean> | null = null;

  const settle = (ending: Ending): Promise<void> =>
    (settled ??= persist(ending).catch((err: unknown) => log.error("could not record usage", { err, chatId })));

  /** Stores the reply. A regenerate that did not finish well keeps the reply it was meant to replace. */
  async function saveReply(ending: Ending, metadata: ReplyMetadata): Promise<boolean> {
    if (replaces.length > 0 && ending.status !== "ok") return false;
    if (replaces.length > 0) await deleteMessages({ chatId, ids: replaces });
    await saveMessage({
      id: assistantId,
      chatId,
      role: "assistant",
      parts: replyParts({ reasoning, text }),
      metadata: { ...metadata },
    }).catch((err: unknown) => {
      // A retry after a commit whose answer the outage swallowed: the reply is already there.
      if (!isUniqueViolation(err)) throw err;
    });
    return true;
  }

  /** A write that fails on its own is logged and the others go on; an unreachable database fails them all, to retry. */
  const orLogged = (what: string) => (err: unknown): false => {
    if (isDatabaseUnavailable(err)) throw err;
    log.error(what, { err, chatId });
    return false;
  };

  async function persist(ending: Ending): Promise<void> {
    const reported = ending.status === "ok" ? reportedTokens(ending.usage) : null;
    // With no usage from upstream: a refused call (error before any token) cost nothing;
    // anything that reached the model is estimated from the text both ways.
    const tokens: CallOutcome["tokens"] = reported ?? {
      promptTokens: ending.status === "error" && firstTokenAt === null ? 0 : estimateTokens(promptText),
      completionTokens: estimateTokens(reasoning + text),
    };
    const status = settledStatus(ending);
    const metadata: ReplyMetadata = {
      modelId: model.id,
      status: status === "interrupted" ? "error" : status,
      promptTokens: tokens.promptTokens,
      completionTokens: tokens.completionTokens,
      ...(droppedMessages > 0 ? { droppedMessages } : {}),
      ...(reasoningStartedAt !== null ? { reasoningMs: Math.round(reasoningMs ?? (performance.now() - reasoningStartedAt)) } : {}),
      ...(ending.status === "error" ? { errorCode: ending.failure.code, errorMessage: ending.failure.message } : {}),
    };
    const outcome: CallOutcome = {
      model,
      messageId: null,
      tokens,
      usageEstimated: reported === null,
      ttftMs: firstTokenAt === null ? null : firstTokenAt - receivedAt,
      durationMs: performance.now() - receivedAt,
      status,
      errorCode:
        ending.status === "error"
          ? ending.failure.code
          : ending.status === "aborted"
            ? request.signal.aborted ? "client_aborted" : "server_shutdown"
            : null,
      upstreamId: ending.status === "ok" ? ending.upstreamId : null,
    };
    // Each write stands on its own: whatever fails, the tokens used are still recorded. With the
    // database unreachable they are retried in order from where they stopped (lib/db/retry-queue.ts).
    let turnSaved: boolean | null = null;
    let replySaved: boolean | null = null;
    const { outcome: written, retried } = await writeOrRetry({
      what: "reply",
      contents: {
        chatId,
        userId: user.id,
        usageId: call.id,
        messageId: assistantId,
        status,
        errorCode: outcome.errorCode,
        tokens,
        metadata,
        reply: { reasoning, text },
      },
      run: async () => {
        turnSaved ??= await storeUserTurn().then(
          () => true,
          (err: unknown) => isUniqueViolation(err) || orLogged("could not save the user's message")(err),
        );
        replySaved ??= turnSaved && (await saveReply(ending, metadata).catch(orLogged("could not save the reply")));
        await settleCall(call, { ...outcome, messageId: replySaved ? assistantId : null }, { countTokensPerMinute });
      },
    });
    afterwards.push(retried);
    // A good reply, stored: the work after it may begin.
    const stored = written === "written" && replySaved && ending.status === "ok";
    if (hashes && stored && ending.upstreamId) {
      // After the reply is stored and settled, off the stream: the verdict is fetched by the browser.
      verifying = startReplyVerification({
        user,
        chatId,
        messageId: assistantId,
        usageId: call.id,
        groupIds: call.groupIds,
        modelId: model.id,
        completionId: ending.upstreamId,
        hashes,
      });
    }
    if (stored && titleModelId && text && droppedMessages === 0 && isFirstExchange(history)) {
      // After the reply is stored and settled, off the stream: the browser watches for the new title.
      titling = true;
      afterwards.push(
        titleChat({ user, chatId, titleModelId, timeZone: call.timeZone, history, reply: text }).then(
          (outcome) => log.info("chat title", { chatId, outcome }),
          (err: unknown) => log.error("could not title the chat", { err, chatId }),
        ),
      );
    }
  }

  // The client going away (Stop, closed tab) aborts the upstream fetch through this signal, and so
  // does the end of a shutdown's grace period.
  const signal = AbortSignal.any([request.signal, shutdownSignal()]);
  signal.addEventListener("abort", () => void settle({ status: "aborted" }), { once: true });

  // Reasoning is the model's first output too: the time to first token and the user's turn count from it.
  const firstToken = () => {
    if (firstTokenAt !== null) return;
    firstTokenAt = performance.now();
    setImmediate(storeUserTurn);
  };

  const errorText = (error: unknown) => describeUpstreamError(error).message;
  const writeReply = async (writer: ChunkWriter): Promise<void> => {
    writer.write({
      type: "start",
      messageMetadata: {
        modelId: model.id,
        status: "streaming",
        ...(call.warnings.length ? { notices: call.warnings.map((w) => w.message) } : {}),
        ...(droppedMessages > 0 ? { droppedMessages } : {}),
        ...(userMessageId ? { userMessageId } : {}),
      },
      messageId: assistantId,
    });
    const outcome = await captureExchange(hashes, () => driveReply({
      model: languageModel(model.id, { tee: model.isTee }),
      call: {
        prompt: [...(settings.system ? [{ role: "system" as const, content: settings.system }] : []), ...toPrompt(history, files)],
        maxOutputTokens: settings.maxOutputTokens,
        temperature: settings.temperature,
        topP: settings.topP,
        presencePenalty: settings.presencePenalty,
        frequencyPenalty: settings.frequencyPenalty,
        abortSignal: signal,
        // Lets RedPill's own logs be matched to Pillbox users.
        headers: { "x-redpill-metadata": JSON.stringify({ user_id: user.id }) },
      },
      writer,
      errorText,
      onText: (delta) => {
        firstToken();
        if (reasoningStartedAt !== null && reasoningMs === null) {
          // The answer begins: the thinking took this long (shown as "Thought for N s").
          reasoningMs = Math.round(performance.now() - reasoningStartedAt);
          writer.write({ type: "message-metadata", messageMetadata: { reasoningMs } });
        }
        text += delta;
      },
      onReasoning: (delta) => {
        firstToken();
        reasoningStartedAt ??= performance.now();
        reasoning += delta;
      },
      // The first failure decides how the call is settled, even if a finish part follows.
      onFailure: (error) => {
        const failure = describeUpstreamError(error);
        log.warn("upstream call failed", { code: failure.code, chatId, modelId: model.id, err: error });
        void settle({ status: "error", failure });
      },
    }));
    // The stream closes once the call is settled: a client that read it to the end finds it stored.
    // A failure was settled when it happened and an abort when the signal fired: settle() then
    // returns that first settlement.
    await settle(
      outcome.status === "finished"
        ? { status: "ok", usage: outcome.usage, upstreamId: outcome.upstreamId }
        : { status: "aborted" },
    );
    if (verifying && (await verifying)) writer.write({ type: "message-metadata", messageMetadata: { verification: { status: "pending" } } });
    if (titling) writer.write({ type: "message-metadata", messageMetadata: { titlePending: true } });
  };

  return uiMessageStreamResponse({
    execute: (writer) => {
      // A shutdown waits for this reply (within its grace period); a serverless function is kept
      // alive until the reply is settled and the work after it is done.
      const reply = holdOpen(writeReply(writer));
      keepAlive(reply.finally(() => settled).then(() => Promise.allSettled(afterwards)));
      return reply;
    },
    onError: errorText,
    headers: { "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" },
  });
}
