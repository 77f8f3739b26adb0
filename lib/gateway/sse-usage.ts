/**
 * Reads an OpenAI chat completion stream as it is piped through, without re-serialising it: the
 * bytes go on as they came. It notes the completion id, the usage chunk's counts, whether the
 * stream finished ([DONE]) or reported an error, and how many events carried choices (the
 * completion estimate when no usage arrives).
 *
 * With `strip`, the usage-only event (`"choices":[]` with a usage object), which Pillbox asked for
 * on the client's behalf, is cut out. Events are only complete at their blank line, so then the
 * bytes after the last complete event wait for the rest of their event (RedPill sends whole
 * events per chunk; a split one waits for its end, nothing more).
 */

export interface StreamUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

const BOUNDARY = Buffer.from("\n\n");
const USAGE = Buffer.from('"usage"');
const DONE = Buffer.from("data: [DONE]");
const ERROR = Buffer.from('data: {"error"');

const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function countOf(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function dataOf(event: Buffer): unknown {
  const text = event.toString("utf8");
  const data = text
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return null;
  }
}

export class SseUsageScanner {
  id: string | null = null;
  usage: StreamUsage | null = null;
  done = false;
  errored = false;
  events = 0;
  private carry: Buffer | null = null;

  constructor(private readonly strip: boolean) {}

  /** The bytes to send on for this chunk (the chunk itself unless something is held back or cut). */
  push(chunk: Uint8Array): Uint8Array | null {
    const bytes = this.carry ? Buffer.concat([this.carry, asBuffer(chunk)]) : asBuffer(chunk);
    const last = bytes.lastIndexOf(BOUNDARY);
    const end = last === -1 ? 0 : last + BOUNDARY.length;
    this.carry = end < bytes.length ? Buffer.from(bytes.subarray(end)) : null;
    const complete = bytes.subarray(0, end);
    const kept = end > 0 ? this.read(complete) : complete;
    if (!this.strip) return chunk;
    return kept.length > 0 ? kept : null;
  }

  /** What is left when the stream ends (an event without its blank line). */
  flush(): Uint8Array | null {
    const rest = this.carry;
    this.carry = null;
    if (!rest) return null;
    const kept = this.read(rest);
    return this.strip && kept.length > 0 ? kept : null;
  }

  /** Notes what complete events say; returns them without the usage-only event when stripping. */
  private read(events: Buffer): Buffer {
    const before = this.events;
    this.events += countOf(events, BOUNDARY);
    if (this.id === null && before === 0) {
      const first = dataOf(events.subarray(0, Math.max(0, events.indexOf(BOUNDARY)) || events.length));
      if (first && typeof first === "object" && "id" in first && typeof first.id === "string") this.id = first.id;
    }
    if (events.includes(DONE)) this.done = true;
    if (events.includes(ERROR)) this.errored = true;
    if (!events.includes(USAGE)) return events;
    // Rare: only the last events carry usage. Look at each event that mentions it.
    const parts: Buffer[] = [];
    let start = 0;
    let cut = false;
    while (start < events.length) {
      const at = events.indexOf(BOUNDARY, start);
      const stop = at === -1 ? events.length : at + BOUNDARY.length;
      const event = events.subarray(start, stop);
      start = stop;
      if (event.includes(USAGE) && this.noteUsage(event) && this.strip) {
        cut = true;
        continue;
      }
      parts.push(event);
    }
    return cut ? Buffer.concat(parts) : events;
  }

  /** Records the event's usage; true when it is a usage-only event (no choices), which may be cut. */
  private noteUsage(event: Buffer): boolean {
    const data = dataOf(event);
    if (!data || typeof data !== "object") return false;
    const { usage, choices } = data as { usage?: unknown; choices?: unknown };
    if (!usage || typeof usage !== "object") return false;
    this.usage = usage as StreamUsage;
    return Array.isArray(choices) && choices.length === 0;
  }
}
