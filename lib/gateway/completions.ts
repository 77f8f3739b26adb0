import "server-only";
import { assertUsableModel } from "@/lib/access/policy";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { KeyHolder } from "@/lib/gateway/auth";
import { openAIErrorBody } from "@/lib/gateway/errors";
import type { CompletionRequest } from "@/lib/gateway/schema";
import { SseUsageScanner, type StreamUsage } from "@/lib/gateway/sse-usage";
import { callUpstream, ledgerCode, upstreamFailure, type UpstreamCall } from "@/lib/gateway/upstream";
import { log } from "@/lib/log";
import { applyModelQuirks } from "@/lib/redpill/quirks";
import { holdOpen, shutdownSignal } from "@/lib/server/shutdown";
import { estimatePromptTokens } from "@/lib/usage/cost";
import { IMAGE_PROMPT_TOKENS } from "@/lib/chat/attachments";
import { reserveCall, settleCall, type CallOutcome } from "@/lib/usage/ledger";
import { admitRequest, effectiveLimits } from "@/lib/usage/rate-limits";
import { parseWorkspaceSettings } from "@/lib/workspace/settings";

/**
 * POST /api/v1/chat/completions after the key check: model access, rate limits and the budget
 * hold exactly as for the chat (the same modules), then one call to RedPill whose answer goes back
 * as it came — SSE bytes piped through, never re-serialised — and the usage row settled from the
 * usage chunk once the stream is over.
 */

/** The prompt as the reservation counts it: message text and tool definitions, images at a flat rate. */
function promptEstimate(body: CompletionRequest): number {
  const texts: string[] = [];
  let images = 0;
  for (const message of body.messages) {
    const { content } = message;
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === "image_url") images++;
        else texts.push(typeof part.text === "string" ? part.text : JSON.stringify(part));
      }
    }
    if (message.tool_calls) texts.push(JSON.stringify(message.tool_calls));
  }
  if (body.tools) texts.push(JSON.stringify(body.tools));
  return estimatePromptTokens(texts) + images * IMAGE_PROMPT_TOKENS;
}

/**
 * The output cap: what the client asked for, at most PILLBOX_MAX_OUTPUT_TOKENS (as in the chat),
 * and that cap when it asked for none, so the budget hold bounds what the call can cost.
 */
function withOutputCap(body: CompletionRequest): { body: CompletionRequest; maxOutputTokens: number } {
  const cap = env.PILLBOX_MAX_OUTPUT_TOKENS;
  const field = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
  const asked = body[field];
  const maxOutputTokens = Math.min(asked ?? cap, cap);
  return { body: { ...body, [field]: maxOutputTokens }, maxOutputTokens };
}

/** The body RedPill gets: the client's, capped, with usage asked for when streaming, quirks applied. */
function upstreamBody(body: CompletionRequest): string {
  const streamOptions = body.stream ? { stream_options: { ...body.stream_options, include_usage: true } } : {};
  return JSON.stringify(applyModelQuirks({ ...body, ...streamOptions }));
}

function tokensOf(usage: StreamUsage | null | undefined): CallOutcome["tokens"] | null {
  if (!usage || (usage.prompt_tokens === undefined && usage.completion_tokens === undefined)) return null;
  return {
    promptTokens: usage.prompt_tokens ?? 0,
    completionTokens: usage.completion_tokens ?? 0,
    cachedTokens: usage.prompt_tokens_details?.cached_tokens ?? null,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? null,
  };
}

interface Settlement {
  status: CallOutcome["status"];
  errorCode: string | null;
  tokens: CallOutcome["tokens"] | null;
  /** completion tokens to estimate when none were reported */
  estimatedCompletion: number;
  upstreamId: string | null;
  firstByteAt: number | null;
}

export async function completeChat({
  request,
  receivedAt,
  holder,
  body: requested,
}: {
  request: Request;
  receivedAt: number;
  holder: KeyHolder;
  body: CompletionRequest;
}): Promise<Response> {
  const { user, rules } = holder;
  const model = assertUsableModel({ user, model: holder.model, modelId: requested.model, rules });
  const { body, maxOutputTokens } = withOutputCap(requested);
  const limits = effectiveLimits(user, rules);
  await admitRequest({ userId: user.id, limits });
  const promptTokens = promptEstimate(body);
  const call = await reserveCall({
    userId: user.id,
    groupIds: rules.map((rule) => rule.id),
    chatId: null,
    apiKeyId: holder.keyId,
    model,
    promptTokens,
    maxOutputTokens: maxOutputTokens * (body.n ?? 1),
    timeZone: parseWorkspaceSettings(holder.settings).timeZone,
    budgets: holder.budgets,
  });

  let settled: Promise<void> | null = null;
  let onSettled = () => {};
  const streamSettled = new Promise<void>((resolve) => (onSettled = resolve));
  const settle = (s: Settlement) =>
    (settled ??= settleCall(
      call,
      {
        model,
        messageId: null,
        tokens: s.tokens ?? { promptTokens: s.status === "error" && s.firstByteAt === null ? 0 : promptTokens, completionTokens: s.estimatedCompletion },
        usageEstimated: s.tokens === null,
        ttftMs: s.firstByteAt === null ? null : s.firstByteAt - receivedAt,
        durationMs: performance.now() - receivedAt,
        status: s.status,
        errorCode: s.errorCode,
        upstreamId: s.upstreamId,
      },
      { countTokensPerMinute: limits.tpm !== null },
    )
      .catch((err: unknown) => log.error("could not record usage", { err, usageId: call.id }))
      .finally(onSettled));
  const refused = (status: Settlement["status"], errorCode: string) =>
    settle({ status, errorCode, tokens: null, estimatedCompletion: 0, upstreamId: null, firstByteAt: null });

  const signal = AbortSignal.any([request.signal, shutdownSignal()]);
  let upstream: UpstreamCall;
  try {
    upstream = await callUpstream("/chat/completions", {
      method: "POST",
      body: upstreamBody(body),
      // Lets RedPill's own logs be matched to Pillbox users.
      headers: { accept: body.stream ? "text/event-stream" : "application/json", "x-redpill-metadata": JSON.stringify({ user_id: user.id }) },
      signal,
    });
  } catch (error) {
    await refused(signal.aborted ? "aborted" : "error", abortCode(request, error));
    throw error;
  }
  if (!upstream.response.ok) {
    upstream.done();
    const failure = await upstreamFailure(upstream.response);
    await refused("error", ledgerCode(upstream.response.status));
    throw failure;
  }
  if (body.stream) {
    // A shutdown waits for the stream (within its grace period) as for a chat reply.
    void holdOpen(streamSettled);
  }
  return body.stream
    ? pipeStream({ request, upstream, settle, strip: body.stream_options?.include_usage !== true })
    : passWhole({ request, upstream, settle });
}

function abortCode(request: Request, error: unknown): string {
  if (request.signal.aborted) return "client_aborted";
  if (shutdownSignal().aborted) return "server_shutdown";
  return error instanceof AppError ? String(error.details.openaiCode ?? error.code) : "upstream_unreachable";
}

/** A non-streamed answer: read whole, settled from its usage, sent on byte for byte. */
async function passWhole({
  request,
  upstream,
  settle,
}: {
  request: Request;
  upstream: UpstreamCall;
  settle: (s: Settlement) => Promise<void>;
}): Promise<Response> {
  let bytes: ArrayBuffer;
  try {
    bytes = await upstream.response.arrayBuffer();
  } catch (error) {
    const timedOut = upstream.timedOut();
    await settle({ status: timedOut ? "error" : "aborted", errorCode: timedOut ? "upstream_timeout" : abortCode(request, error), tokens: null, estimatedCompletion: 0, upstreamId: null, firstByteAt: null });
    if (timedOut) throw new AppError("timeout:upstream", "RedPill took too long to answer.");
    throw error;
  } finally {
    upstream.done();
  }
  const firstByteAt = performance.now();
  let parsed: { id?: unknown; usage?: StreamUsage } = {};
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as typeof parsed;
  } catch {
    // not JSON: passed on as it is, its usage estimated
  }
  await settle({
    status: "ok",
    errorCode: null,
    tokens: tokensOf(parsed.usage),
    estimatedCompletion: Math.ceil(bytes.byteLength / 4),
    upstreamId: typeof parsed.id === "string" ? parsed.id : null,
    firstByteAt,
  });
  return new Response(bytes, {
    status: 200,
    headers: { "content-type": upstream.response.headers.get("content-type") ?? "application/json" },
  });
}

const encoder = new TextEncoder();
const errorEvent = (error: AppError) => encoder.encode(`data: ${JSON.stringify(openAIErrorBody(error))}\n\n`);

/**
 * A streamed answer: each upstream chunk is sent on as it arrives (pull-driven, so a slow client
 * slows the upstream read instead of filling memory). A stream RedPill cuts or lets go quiet ends
 * with an OpenAI error event, which the SDKs raise. The usage row is settled after the last byte
 * went out and before the response closes.
 */
function pipeStream({
  request,
  upstream,
  strip,
  settle,
}: {
  request: Request;
  upstream: UpstreamCall;
  strip: boolean;
  settle: (s: Settlement) => Promise<void>;
}): Response {
  const scanner = new SseUsageScanner(strip);
  const reader = upstream.response.body!.getReader();
  let firstByteAt: number | null = null;
  const ending = (status: Settlement["status"], errorCode: string | null): Settlement => ({
    status,
    errorCode,
    tokens: tokensOf(scanner.usage),
    // Roughly a token an event, less the role, finish and usage events.
    estimatedCompletion: Math.max(0, scanner.events - 3),
    upstreamId: scanner.id,
    firstByteAt,
  });

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Until something goes out: a chunk that was all held back (or cut) must not end the pull empty.
      for (;;) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch (error) {
          upstream.done();
          if (request.signal.aborted || shutdownSignal().aborted) {
            await settle(ending("aborted", abortCode(request, error)));
            controller.close();
            return;
          }
          const timedOut = upstream.timedOut();
          const failure = timedOut
            ? new AppError("timeout:upstream", "RedPill went quiet before the reply finished.", { details: { openaiCode: "upstream_timeout" } })
            : new AppError("upstream:upstream", "The connection to RedPill dropped before the reply finished.", {
                details: { openaiCode: "stream_interrupted" },
              });
          log.warn("upstream stream failed", { code: failure.details.openaiCode });
          await settle(ending(timedOut ? "error" : "interrupted", String(failure.details.openaiCode)));
          controller.enqueue(errorEvent(failure));
          controller.close();
          return;
        }
        if (next.done) {
          upstream.done();
          const rest = scanner.flush();
          if (rest) controller.enqueue(rest);
          const finished = scanner.done || scanner.usage !== null;
          const status = scanner.errored ? "error" : finished ? "ok" : "interrupted";
          await settle(ending(status, status === "ok" ? null : scanner.errored ? "upstream_stream_error" : "stream_interrupted"));
          controller.close();
          return;
        }
        upstream.arm();
        firstByteAt ??= performance.now();
        const out = scanner.push(next.value);
        // The closing [DONE] goes out once the call is settled: a client that read to the end (the
        // SDKs stop reading there) finds its usage recorded. Every content chunk is out already.
        if (scanner.done) await settle(ending(scanner.errored ? "error" : "ok", scanner.errored ? "upstream_stream_error" : null));
        if (out) {
          controller.enqueue(out);
          return;
        }
      }
    },
    async cancel(reason) {
      // The client went away (after [DONE] the call was settled already): stop reading RedPill,
      // settle what arrived as aborted.
      upstream.done();
      await reader.cancel(reason).catch(() => {});
      await settle(ending("aborted", "client_aborted"));
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      "content-type": upstream.response.headers.get("content-type") ?? "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}
