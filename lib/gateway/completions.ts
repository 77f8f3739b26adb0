import "server-only";
import { assertUsableModel } from "@/lib/access/policy";
import { env } from "@/lib/env";
import type { KeyHolder } from "@/lib/gateway/auth";
import { passWhole, pipeStream } from "@/lib/gateway/pass-through";
import { abortCode, type Settlement } from "@/lib/gateway/settlement";
import type { CompletionRequest } from "@/lib/gateway/schema";
import { callUpstream, upstreamFailure, type UpstreamCall } from "@/lib/gateway/upstream";
import { log } from "@/lib/log";
import { applyModelQuirks } from "@/lib/redpill/quirks";
import { upstreamCode } from "@/lib/redpill/refusals";
import { holdOpen, shutdownSignal } from "@/lib/server/shutdown";
import { estimatePromptTokens } from "@/lib/usage/cost";
import { IMAGE_PROMPT_TOKENS } from "@/lib/chat/attachments";
import { reserveCall, settleCall } from "@/lib/usage/ledger";
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
    await refused("error", upstreamCode(upstream.response.status));
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
