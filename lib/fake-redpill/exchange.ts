import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { ReceivedRequest, RequestLog } from "./log";
import { sseEvent, type CompletionChunk } from "./sse";

/** One request/response pair: writes the response and keeps its log entry up to date. */
export class Exchange {
  private readonly abort = new AbortController();
  private cutByServer = false;
  private flushed: Promise<void> = Promise.resolve();
  /** SHA-256 of the exact response body bytes, as a TEE signs them. */
  private readonly responseHash = createHash("sha256");
  private responseDigest: string | null = null;
  /** SHA-256 of the exact request body bytes (set once the body was read). */
  requestSha256 = "";

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly entry: ReceivedRequest,
    private readonly log: RequestLog,
    isShuttingDown: () => boolean,
  ) {
    res.on("error", () => {});
    res.on("finish", () => {
      this.responseDigest = this.responseHash.digest("hex");
      entry.completed = true;
      entry.finishedAt = Date.now();
      log.changed();
    });
    res.on("close", () => {
      this.abort.abort();
      if (!res.writableFinished && !this.cutByServer && !isShuttingDown()) {
        entry.clientClosed = true;
        log.changed();
      }
    });
  }

  /** Aborts when the connection goes away for any reason. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** SHA-256 (hex) of the whole response body once it was sent in full; null before, or if it was cut. */
  get responseSha256(): string | null {
    return this.responseDigest;
  }

  get gone(): boolean {
    return this.abort.signal.aborted || this.res.destroyed || this.res.writableEnded;
  }

  json(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    if (this.gone) return;
    const payload = JSON.stringify(body);
    this.res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
      ...headers,
    });
    this.setStatus(status);
    this.responseHash.update(payload);
    this.res.end(payload);
  }

  startStream(): void {
    if (this.gone) return;
    this.res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    this.res.flushHeaders();
    this.setStatus(200);
  }

  /** Writes one SSE event; resolves false once the client is gone. Waits for drain to respect backpressure. */
  async send(data: CompletionChunk | "[DONE]", isContent = false): Promise<boolean> {
    if (this.gone) return false;
    let onFlush = (): void => {};
    this.flushed = new Promise((resolve) => (onFlush = resolve));
    const event = sseEvent(data);
    this.responseHash.update(event);
    const flushed = this.res.write(event, () => onFlush());
    if (isContent) {
      this.entry.chunksSent++;
      this.log.changed();
    }
    if (!flushed) {
      await Promise.race([once(this.res, "drain"), once(this.abort.signal, "abort")]).catch(() => {});
    }
    return !this.gone;
  }

  end(): void {
    if (!this.gone) this.res.end();
  }

  /**
   * Drops the connection mid-response, like a crashed upstream. Waits until what was written reached the
   * socket and lingers briefly, otherwise the client may discard the last chunks along with the stream.
   */
  async cut(lingerMs = 20): Promise<void> {
    if (this.gone) return;
    await Promise.race([this.flushed, once(this.abort.signal, "abort")]);
    if (!(await this.sleep(lingerMs))) return;
    this.cutByServer = true;
    this.res.destroy();
  }

  /** Resolves true after `ms`, or false as soon as the client goes away. */
  async sleep(ms: number): Promise<boolean> {
    if (ms > 0 && !this.gone) {
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          this.abort.signal.removeEventListener("abort", onAbort);
          resolve();
        }, ms);
        this.abort.signal.addEventListener("abort", onAbort, { once: true });
      });
    }
    return !this.gone;
  }

  /** Resolves when the connection closes (used by `hang`). */
  async untilGone(): Promise<void> {
    if (this.abort.signal.aborted) return;
    await once(this.abort.signal, "abort");
  }

  private setStatus(status: number): void {
    this.entry.status = status;
    this.log.changed();
  }
}
