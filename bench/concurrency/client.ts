import http from "node:http";

/**
 * The benchmark's HTTP client: plain node:http (cheaper per chunk than fetch's web streams, so the
 * client is not what limits C = 500) with one keep-alive agent allowing 1,000 sockets per origin.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000, maxFreeSockets: 1_000 });

export interface Target {
  name: "direct" | "bare" | "pillbox" | "gateway";
  /** The server process to measure (null: the fake itself, measured separately). */
  pid: number | null;
  url: URL;
  headers: Record<string, string>;
  body(prompt: string): string;
  /** Whether an event-stream line carries one content chunk. */
  isContent(line: string): boolean;
  /** Whether an event-stream line reports an error inside a 200 stream. */
  isError(line: string): boolean;
}

export interface StreamResult {
  /** null: status 200, exactly the expected content chunks, then `data: [DONE]`. */
  problem: string | null;
  /** From sending the request to the first content chunk. */
  ttftMs: number | null;
  /** Between consecutive content chunks, as received. */
  gapsMs: number[];
}

/** One POST whose event stream is read to the end; never rejects. */
export function stream(target: Target, prompt: string, expectedChunks: number, timeoutMs: number): Promise<StreamResult> {
  const payload = target.body(prompt);
  return new Promise((resolve) => {
    const times: number[] = [];
    let sawDone = false;
    let streamProblem: string | null = null;
    let finished = false;
    let started = 0;

    const finish = (problem: string | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const gapsMs = times.slice(1).map((t, i) => t - times[i]!);
      const counted = times.length === expectedChunks ? null : `${times.length} of ${expectedChunks} chunks`;
      resolve({
        problem: problem ?? streamProblem ?? counted ?? (sawDone ? null : "no [DONE]"),
        ttftMs: times.length ? times[0]! - started : null,
        gapsMs,
      });
    };

    const req = http.request(
      target.url,
      {
        method: "POST",
        agent,
        headers: { ...target.headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        res.setEncoding("utf8");
        if (res.statusCode !== 200) {
          let text = "";
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => finish(`HTTP ${res.statusCode}: ${text.slice(0, 160)}`));
          res.on("error", (error) => finish(`HTTP ${res.statusCode}: ${error.message}`));
          return;
        }
        let buffer = "";
        res.on("data", (chunk: string) => {
          const now = performance.now();
          buffer += chunk;
          for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (target.isContent(line)) times.push(now);
            else if (line === "data: [DONE]") sawDone = true;
            else if (target.isError(line)) streamProblem ??= `error in stream: ${line.slice(0, 160)}`;
          }
        });
        res.on("end", () => finish(null));
        res.on("error", (error) => finish(error.message));
        res.on("aborted", () => finish("response aborted"));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    const timer = setTimeout(() => req.destroy(new Error(`no end after ${timeoutMs} ms`)), timeoutMs);
    started = performance.now();
    req.end(payload);
  });
}

/** C streams started at once (each timed from its own send). */
export function burst(target: Target, c: number, prompt: string, expectedChunks: number, timeoutMs: number): Promise<StreamResult[]> {
  return Promise.all(Array.from({ length: c }, () => stream(target, prompt, expectedChunks, timeoutMs)));
}
