import "server-only";
import { AppError } from "@/lib/errors";
import { openAIErrorBody } from "@/lib/gateway/errors";
import { abortCode, tokensOf, type Settlement } from "@/lib/gateway/settlement";
import { SseUsageScanner, type StreamUsage } from "@/lib/gateway/sse-usage";
import type { UpstreamCall } from "@/lib/gateway/upstream";
import { log } from "@/lib/log";
import { shutdownSignal } from "@/lib/server/shutdown";

/**
 * RedPill's answer on its way back to the API client, as it came: a whole JSON answer byte for
 * byte, or the SSE stream chunk by chunk, each call settled once through `settle`.
 */

/** A non-streamed answer: read whole, settled from its usage, sent on byte for byte. */
export async function passWhole({
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
    const gone = request.signal.aborted || shutdownSignal().aborted;
    const failure = upstream.timedOut()
      ? new AppError("timeout:upstream", "RedPill went quiet before the answer was complete.", { details: { openaiCode: "upstream_timeout" } })
      : new AppError("upstream:upstream", "The connection to RedPill dropped before the answer was complete.", {
          details: { openaiCode: "stream_interrupted" },
        });
    const code = String(failure.details.openaiCode);
    await settle({
      status: gone ? "aborted" : code === "upstream_timeout" ? "error" : "interrupted",
      errorCode: gone ? abortCode(request, error) : code,
      tokens: null,
      estimatedCompletion: 0,
      upstreamId: null,
      firstByteAt: null,
    });
    throw gone ? error : failure;
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
 * with an OpenAI error event, which the SDKs raise. The usage row is settled once the last content
 * chunk went out, before the closing [DONE] (or the end of the response).
 */
export function pipeStream({
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
