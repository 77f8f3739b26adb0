import "server-only";
import type { FileUIPart } from "ai";
import type { UserContent } from "@/lib/chat/attachments";
import type { UpstreamCall, UpstreamModel, UpstreamPart } from "@/lib/redpill/provider";
import type { ChatMessage } from "@/lib/chat/types";
import type { ChunkWriter } from "@/lib/chat/ui-stream-response";

/**
 * The model's side of one reply, driven without `streamText`: one `doStream` call on the provider
 * (no tools, no steps, no retries), its parts written straight to the UI message stream that
 * `useChat` reads. The chunks are the ones `streamText(…).toUIMessageStream()` writes for the same
 * parts (start-step, text and reasoning parts, error, finish-step, finish), without its per-chunk
 * pipeline of transform streams, and each is written the moment its part arrives.
 */

type Prompt = UpstreamCall["prompt"];
type FinishPart = Extract<UpstreamPart, { type: "finish" }>;
export type UpstreamUsage = FinishPart["usage"];

/**
 * Chat history in the provider's prompt format (what `convertToModelMessages` gives for it): text
 * parts, and a user's file parts as `files` turns them into prompt parts (lib/chat/attachments.ts).
 */
export function toPrompt(history: ChatMessage[], files?: (part: FileUIPart) => UserContent[]): Prompt {
  return history.map((message) => {
    const texts = message.parts.flatMap((part) => (part.type === "text" ? [{ type: "text" as const, text: part.text }] : []));
    if (message.role === "system") return { role: "system", content: texts.map((t) => t.text).join("") };
    if (message.role === "assistant") return { role: "assistant", content: texts };
    const content = message.parts.flatMap((part): UserContent[] =>
      part.type === "text" ? [{ type: "text", text: part.text }] : part.type === "file" && files ? files(part) : [],
    );
    return { role: "user", content };
  });
}

export type StreamOutcome =
  | { status: "finished"; usage: UpstreamUsage | null; upstreamId: string | null }
  /** the model stream failed (refused call, error part, cut stream); the error chunk is written */
  | { status: "failed"; error: unknown }
  /** the client went away: nothing more is written */
  | { status: "aborted" };

interface DriveInput {
  model: UpstreamModel;
  call: UpstreamCall;
  writer: ChunkWriter;
  /** The text shown for an error (never the upstream's raw message). */
  errorText: (error: unknown) => string;
  /** Each text delta, as it arrives. */
  onText: (delta: string) => void;
  /** Each reasoning delta (a model's thinking, before its answer), as it arrives. */
  onReasoning?: (delta: string) => void;
  /** The first failure, as soon as it is known (the stream goes on: a finish may still follow). */
  onFailure: (error: unknown) => void;
}

const metadataOf = <M>(part: { providerMetadata?: M }) =>
  part.providerMetadata != null ? { providerMetadata: part.providerMetadata } : {};

/** Streams one reply; resolves once the model stream is over, with how it ended. */
export async function driveReply({ model, call, writer, errorText, onText, onReasoning, onFailure }: DriveInput): Promise<StreamOutcome> {
  const signal = call.abortSignal;
  const failures: unknown[] = [];
  const fail = (error: unknown) => {
    if (failures.push(error) === 1) onFailure(error);
    writer.write({ type: "error", errorText: errorText(error) });
  };

  let stream: ReadableStream<UpstreamPart>;
  try {
    ({ stream } = await model.doStream(call));
  } catch (error) {
    if (signal?.aborted) return { status: "aborted" };
    fail(error);
    return { status: "failed", error };
  }

  writer.write({ type: "start-step" });
  let finishReason: FinishPart["finishReason"]["unified"] = "other";
  let usage: UpstreamUsage | null = null;
  let upstreamId: string | null = null;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value: part } = await reader.read();
      if (done) break;
      switch (part.type) {
        case "response-metadata":
          upstreamId = part.id ?? upstreamId;
          break;
        case "text-start":
        case "text-end":
        case "reasoning-start":
        case "reasoning-end":
          writer.write({ type: part.type, id: part.id, ...metadataOf(part) });
          break;
        case "text-delta":
          onText(part.delta);
          writer.write({ type: "text-delta", id: part.id, delta: part.delta, ...metadataOf(part) });
          break;
        case "reasoning-delta":
          onReasoning?.(part.delta);
          writer.write({ type: "reasoning-delta", id: part.id, delta: part.delta, ...metadataOf(part) });
          break;
        case "finish":
          usage = part.usage;
          finishReason = part.finishReason.unified;
          break;
        case "error":
          finishReason = "error";
          fail(part.error);
          break;
        default:
          // stream-start, raw, sources, files and tool parts: a chat without tools shows none of them
          break;
      }
    }
  } catch (error) {
    if (signal?.aborted) return { status: "aborted" };
    // The guard turns a broken upstream into an error part, so this is a fault of our own.
    finishReason = "error";
    fail(error);
  } finally {
    reader.releaseLock();
  }
  writer.write({ type: "finish-step" });
  writer.write({ type: "finish", finishReason });
  return failures.length ? { status: "failed", error: failures[0] } : { status: "finished", usage, upstreamId };
}
