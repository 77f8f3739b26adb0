// A fetch that reaches an http.Server without a port: each request gets its own in-memory connection,
// a pair of linked streams, one end handed to the server as if a client had connected, the other used
// by an http.request. The fake's behaviours that depend on the connection (a cut stream, a client that
// goes away) work as over TCP, which injecting requests into the handler would not give.
import { request as httpRequest, type Server } from "node:http";
import { Duplex, Readable } from "node:stream";

/** Two connected ends: what one writes the other reads; destroying one resets the other. */
function connectionPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const end = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (!other.destroyed) other.destroy();
        callback(error);
      },
    });
  ends.push(end(() => ends[1]!), end(() => ends[0]!));
  return [ends[0]!, ends[1]!];
}

export function inProcessFetch(server: Server, origin: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== origin) throw new TypeError(`fetch failed: ${url.origin} is not the in-process fake RedPill (${origin})`);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const [clientEnd, serverEnd] = connectionPair();
    server.emit("connection", serverEnd);
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers: { ...Object.fromEntries(request.headers), host: url.host },
          createConnection: () => clientEnd,
          signal: init?.signal ?? undefined,
        },
        (incoming) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
          }
          const empty = incoming.statusCode === 204 || incoming.statusCode === 304 || request.method === "HEAD";
          resolve(
            new Response(empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status: incoming.statusCode,
              statusText: incoming.statusMessage,
              headers,
            }),
          );
        },
      );
      outgoing.on("error", (error) => reject(new TypeError("fetch failed", { cause: error })));
      outgoing.end(body);
    });
  };
}
