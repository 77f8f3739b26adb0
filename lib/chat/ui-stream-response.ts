import "server-only";
import { UI_MESSAGE_STREAM_HEADERS, type InferUIMessageChunk } from "ai";
import type { ChatMessage } from "@/lib/chat/types";

export type ChatChunk = InferUIMessageChunk<ChatMessage>;

/** What a reply writes to: the `write` of the AI SDK's UIMessageStreamWriter. */
export interface ChunkWriter {
  write(chunk: ChatChunk): void;
}

const encoder = new TextEncoder();
const sse = (data: string) => encoder.encode(`data: ${data}\n\n`);

/**
 * The UI message stream `useChat` reads (the AI SDK's protocol: one `data: <chunk JSON>` event per
 * chunk, then `data: [DONE]`, with its headers), written straight into the response body: one
 * stream stage, where `createUIMessageStreamResponse` pipes every chunk through three more (its
 * finish handling, JSON-to-SSE and text encoding), which the capacity profile showed as the largest
 * per-chunk cost. `execute` runs at once; the body closes when it settles. A thrown error becomes
 * an `error` chunk with `onError`'s text. Writes after the client went away are dropped.
 */
export function uiMessageStreamResponse({
  execute,
  onError,
  headers,
}: {
  execute: (writer: ChunkWriter) => Promise<void>;
  onError: (error: unknown) => string;
  headers?: Record<string, string>;
}): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const enqueue = (bytes: Uint8Array) => {
    if (!open) return;
    try {
      controller.enqueue(bytes);
    } catch {
      open = false;
    }
  };
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (open = false),
  });
  const writer: ChunkWriter = { write: (chunk) => enqueue(sse(JSON.stringify(chunk))) };
  void execute(writer)
    .catch((error: unknown) => writer.write({ type: "error", errorText: onError(error) }))
    .finally(() => {
      enqueue(sse("[DONE]"));
      if (!open) return;
      open = false;
      try {
        controller.close();
      } catch {
        // the client went away meanwhile
      }
    });
  return new Response(body, { headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers } });
}
