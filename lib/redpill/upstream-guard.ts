import type { LanguageModelMiddleware } from "ai";

type WrapStream = NonNullable<LanguageModelMiddleware["wrapStream"]>;
type StreamResult = Awaited<ReturnType<WrapStream>>;
type StreamPart = StreamResult["stream"] extends ReadableStream<infer P> ? P : never;

/** RedPill sent nothing (no headers, no chunk) for too long. */
export class UpstreamTimeoutError extends Error {
  constructor(idleMs: number) {
    super(`RedPill sent nothing for ${idleMs} ms`);
    this.name = "TimeoutError";
  }
}

/**
 * Guards every upstream stream:
 * - a stream that dies mid-way (RedPill closes the connection, a proxy times out) would make the
 *   model stream throw, which streamText passes on as a broken HTTP response; it becomes an
 *   `error` part instead, so the user gets a message and the partial reply is kept;
 * - when RedPill goes quiet for `idleMs` (before the headers or between chunks) the upstream
 *   request is aborted and the stream ends with a timeout error part.
 * A client abort (Stop, closed tab) still propagates as an abort.
 */
export function upstreamGuard({ idleMs }: { idleMs: number }): LanguageModelMiddleware {
  return {
    specificationVersion: "v3",
    wrapStream: async ({ model, params }) => {
      const idle = new AbortController();
      // One timer, pushed back on every chunk (refresh() reuses it: no allocation per chunk).
      const timer = setTimeout(() => idle.abort(new UpstreamTimeoutError(idleMs)), idleMs);
      const arm = () => void timer.refresh();
      const signal = params.abortSignal ? AbortSignal.any([params.abortSignal, idle.signal]) : idle.signal;

      let result: StreamResult;
      try {
        result = await model.doStream({ ...params, abortSignal: signal });
      } catch (error) {
        clearTimeout(timer);
        throw idle.signal.aborted ? idle.signal.reason : error;
      }

      const reader = result.stream.getReader();
      const stream = new ReadableStream<StreamPart>({
        async pull(controller) {
          try {
            const { value, done } = await reader.read();
            if (done) {
              clearTimeout(timer);
              controller.close();
              return;
            }
            arm();
            controller.enqueue(value);
          } catch (error) {
            clearTimeout(timer);
            if (params.abortSignal?.aborted) {
              controller.error(error);
              return;
            }
            controller.enqueue({ type: "error", error: idle.signal.aborted ? idle.signal.reason : error });
            controller.close();
          }
        },
        cancel: (reason) => {
          clearTimeout(timer);
          return reader.cancel(reason);
        },
      });
      return { ...result, stream };
    },
  };
}
