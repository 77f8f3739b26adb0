/** Reads an AI SDK UI message stream (SSE) the way useChat does, for assertions. */
export interface UiStreamResult {
  text: string;
  /** the reasoning deltas, joined */
  reasoning: string;
  /** every messageMetadata the stream sent, merged in order */
  metadata: Record<string, unknown>;
  errors: string[];
  types: string[];
  messageId: string | null;
  finished: boolean;
}

export async function readUiStream(
  response: Response,
  { stopAfterChars }: { stopAfterChars?: number } = {},
): Promise<UiStreamResult> {
  const result: UiStreamResult = { text: "", reasoning: "", metadata: {}, errors: [], types: [], messageId: null, finished: false };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let index: number;
      while ((index = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, index);
        buffer = buffer.slice(index + 2);
        const data = event.replace(/^data: /, "");
        if (data === "[DONE]") continue;
        const chunk = JSON.parse(data) as {
          type: string;
          delta?: string;
          errorText?: string;
          messageId?: string;
          messageMetadata?: Record<string, unknown>;
        };
        result.types.push(chunk.type);
        if (chunk.type === "start" && chunk.messageId) result.messageId = chunk.messageId;
        if (chunk.type === "text-delta") result.text += chunk.delta ?? "";
        if (chunk.type === "reasoning-delta") result.reasoning += chunk.delta ?? "";
        if (chunk.messageMetadata) Object.assign(result.metadata, chunk.messageMetadata);
        if (chunk.type === "error") result.errors.push(chunk.errorText ?? "");
        if (chunk.type === "finish") result.finished = true;
      }
      if (stopAfterChars !== undefined && result.text.length >= stopAfterChars) {
        await reader.cancel();
        break;
      }
    }
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
  }
  return result;
}
