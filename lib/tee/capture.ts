import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";

type Fetch = typeof globalThis.fetch;

/** The hashes of one upstream exchange's exact bytes, as RedPill's enclave signs them. */
export interface ExchangeHashes {
  /** SHA-256 (hex) of the request body sent; null until sent, or when the body was a stream */
  requestSha256: string | null;
  /** SHA-256 (hex) of the whole response body received; null until it was read to its end */
  responseSha256: string | null;
}

const globalForCapture = globalThis as unknown as { pillboxExchangeCapture?: AsyncLocalStorage<ExchangeHashes> };
const current = (globalForCapture.pillboxExchangeCapture ??= new AsyncLocalStorage<ExchangeHashes>());

/** Runs `work` so that the upstream call it makes is hashed into `hashes` (see `hashingFetch`). */
export function captureExchange<T>(hashes: ExchangeHashes | null, work: () => T): T {
  return hashes ? current.run(hashes, work) : work();
}

function bodyBytes(body: RequestInit["body"]): Uint8Array | string | null {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

/**
 * A fetch for TEE models: inside `captureExchange`, hashes the request body it sends and tees the
 * response body into a running SHA-256 as the provider reads it, so the hashes are of the real
 * bytes (the whole SSE text of a stream, `data: [DONE]` included), never of re-serialised JSON.
 */
export function hashingFetch(base: Fetch): Fetch {
  return async (input, init) => {
    const hashes = current.getStore();
    if (!hashes) return base(input, init);
    const sent = bodyBytes(init?.body);
    hashes.requestSha256 = sent === null ? null : createHash("sha256").update(sent).digest("hex");
    const response = await base(input, init);
    if (!response.body) {
      hashes.responseSha256 = createHash("sha256").digest("hex");
      return response;
    }
    const hash = createHash("sha256");
    const tee = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        hashes.responseSha256 = hash.digest("hex");
      },
    });
    return new Response(response.body.pipeThrough(tee), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
