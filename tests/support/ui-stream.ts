/** Reads an AI SDK UI message stream (SSE) the way useChat does, for assertions. */
export interface UiStreamResult {
  text: string;
  errors: string[];
  types: string[];
  messageId: string | null;
  /** the `start` chunk's message metadata */
  metadata: Record<string, unknown> | null;
  finished: boolean;
}

export async function readUiStream(
  response: Response,
  { stopAfterChars }: { stopAfterChars?: number } = {},
): Promise<UiStreamResult> {
  const result: UiStreamResult = { text: "", errors: [], types: [], messageId: null, metadata: null, finished: false };
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
        if (chunk.type === "start") result.metadata = chunk.messageMetadata ?? null;
        if (chunk.type === "text-delta") result.text += chunk.delta ?? "";
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
