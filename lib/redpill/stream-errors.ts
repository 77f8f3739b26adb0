import type { LanguageModelMiddleware } from "ai";

type StreamPart = Awaited<ReturnType<NonNullable<LanguageModelMiddleware["wrapStream"]>>>["stream"] extends ReadableStream<infer P> ? P : never;

/**
 * A stream that dies mid-way (RedPill closes the connection, a proxy times out) makes the model
 * stream throw, which streamText passes on as a broken HTTP response. Turned into an `error`
 * part instead, it reaches the user as a message and the partial reply is kept. A client abort
 * still propagates as an abort.
 */
function endWithErrorPart(source: ReadableStream<StreamPart>): ReadableStream<StreamPart> {
  const reader = source.getReader();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        if (error instanceof Error && error.name === "AbortError") {
          controller.error(error);
          return;
        }
        controller.enqueue({ type: "error", error });
        controller.close();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

export const streamErrorsAsParts: LanguageModelMiddleware = {
  specificationVersion: "v3",
  wrapStream: async ({ doStream }) => {
    const result = await doStream();
    return { ...result, stream: endWithErrorPart(result.stream) };
  },
};
