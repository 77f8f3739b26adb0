import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createHash } from "node:crypto";
import { attestationFaultSchema, FakeTee, type AttestationFault } from "./attestation";
import { fakeBehaviorSchema, type FakeBehavior } from "./behaviors";
import { FAKE_REDPILL_MODELS, fakeModelSchema, type FakeModel } from "./catalog";
import { handleChatCompletions, type ParsedBody } from "./chat";
import { invalidApiKey, invalidRequest, modelNotFound, openAIError } from "./errors";
import { Exchange } from "./exchange";
import { fakeCatalog } from "./large-catalog";
import { RequestLog, redactRequest, type ReceivedRequest } from "./log";
import { inProcessFetch } from "./in-process";
import { formatZodIssue } from "./request";
import type { ReplyStyle } from "./replies";

export interface FakeRedpillOptions {
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Required bearer key; null/undefined accepts any non-empty bearer token. */
  apiKey?: string | null;
  /** Delay before each streamed content chunk. Default 0. */
  chunkDelayMs?: number;
  models?: FakeModel[];
  /** Serve a deterministic catalog of this many models (curated ones first), e.g. 250 like RedPill's. Ignored when `models` is given. */
  catalogSize?: number;
  /** "echo" (default): `Echo: <last user text>`; "demo": a simulated markdown answer. */
  replyStyle?: ReplyStyle;
  /** Suppress the one-line-per-request console log. */
  quiet?: boolean;
  /** false: open no port; reach the fake through `fetch` only (demo mode on Vercel). Default true. */
  listen?: boolean;
}

export interface FakeRedpill {
  /** Base URL including /v1, e.g. http://127.0.0.1:41234/v1 (without a port: http://fake-redpill.internal/v1) */
  url: string;
  /** 0 when not listening. */
  port: number;
  /** A fetch that reaches this fake in-process, without the network (for `url`'s origin only). */
  fetch: typeof fetch;
  /** Request log, newest last. `reset()` empties this same array. */
  requests: ReceivedRequest[];
  /** Queue a behaviour for the next chat completion request (FIFO); it wins over prompt directives. */
  enqueue(behavior: FakeBehavior): void;
  /** Adds a model to the catalog (or replaces the one with its id), as when RedPill ships a new one. */
  addModel(model: FakeModel): void;
  /** The catalog as served now. */
  models(): FakeModel[];
  /** Makes the attestation report of a TEE model take a red path (null: the honest report again). */
  setAttestationFault(model: string, fault: AttestationFault | null): void;
  /** Clears the log, the queue and the TEE red paths. */
  reset(): void;
  /** Resolves with the first logged request (past or future) matching `predicate`. Default timeout 5000ms. */
  waitFor(predicate: (r: ReceivedRequest) => boolean, timeoutMs?: number): Promise<ReceivedRequest>;
  /** Stops listening and destroys open connections, including hanging streams. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 25 * 1024 * 1024;
/** The origin of a fake that opens no port (a reserved name: nothing on the network answers it). */
const IN_PROCESS_ORIGIN = "http://fake-redpill.internal";

export async function startFakeRedpill(options: FakeRedpillOptions = {}): Promise<FakeRedpill> {
  const host = options.host ?? "127.0.0.1";
  const apiKey = options.apiKey || null;
  const models = [...(options.models ?? (options.catalogSize ? fakeCatalog(options.catalogSize) : FAKE_REDPILL_MODELS))];
  const replyStyle = options.replyStyle ?? "echo";
  const chunkDelayMs = Math.max(0, options.chunkDelayMs ?? 0);
  const quiet = options.quiet ?? false;

  const log = new RequestLog();
  const queue: FakeBehavior[] = [];
  const tee = new FakeTee();
  const sockets = new Set<Socket>();
  let shuttingDown = false;
  let nextId = 1;

  const reset = (): void => {
    log.clear();
    queue.length = 0;
    tee.clear();
  };

  const addModel = (model: FakeModel): void => {
    const parsed = fakeModelSchema.parse(model);
    const index = models.findIndex((m) => m.id === parsed.id);
    if (index === -1) models.push(parsed);
    else models[index] = parsed;
  };

  const isAuthorized = (header: string | undefined): boolean => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
    return match !== null && (apiKey === null || match[1] === apiKey);
  };

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? "GET";
    if (method === "GET" && path === "/__fake/health") return sendJson(res, 200, { ok: true });
    if (method === "GET" && path === "/__fake/requests") return sendJson(res, 200, log.entries.map(redactRequest));
    if (method === "POST" && path === "/__fake/reset") {
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/__fake/enqueue") {
      const raw = await readBody(req);
      const parsed = fakeBehaviorSchema.safeParse(raw.ok ? parseJson(raw.text).value : undefined);
      if (!parsed.success) return sendJson(res, 400, invalidRequest(formatZodIssue(parsed.error).message));
      queue.push(parsed.data);
      return sendJson(res, 200, { ok: true, queued: queue.length });
    }
    if (method === "POST" && path === "/__fake/attestation-fault") {
      const raw = await readBody(req);
      const parsed = attestationFaultSchema.safeParse(raw.ok ? parseJson(raw.text).value : undefined);
      if (!parsed.success) return sendJson(res, 400, invalidRequest(formatZodIssue(parsed.error).message));
      tee.setAttestationFault(parsed.data.model, parsed.data.fault);
      return sendJson(res, 200, { ok: true });
    }
    if (method === "POST" && path === "/__fake/models") {
      const raw = await readBody(req);
      const parsed = fakeModelSchema.safeParse(raw.ok ? parseJson(raw.text).value : undefined);
      if (!parsed.success) return sendJson(res, 400, invalidRequest(formatZodIssue(parsed.error).message));
      addModel(parsed.data);
      return sendJson(res, 200, { ok: true, models: models.length });
    }
    sendJson(res, 404, invalidRequest(`Invalid URL (${method} ${path})`));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.on("error", () => {});
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const path = url.pathname;
    if (path.startsWith("/__fake/")) return handleControl(req, res, path);

    const method = req.method ?? "GET";
    const entry: ReceivedRequest = {
      id: `req_${nextId++}`,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: headersOf(req),
      body: null,
      receivedAt: Date.now(),
      status: null,
      chunksSent: 0,
      completed: false,
      finishedAt: null,
      clientClosed: false,
      behavior: null,
      completionId: null,
    };
    log.add(entry);
    const x = new Exchange(req, res, entry, log, () => shuttingDown);
    if (!quiet) res.on("close", () => console.log(describe(entry)));

    const raw = await readBody(req);
    if (!raw.ok) {
      return raw.reason === "too-large" ? x.json(413, invalidRequest("Request body too large.")) : undefined;
    }
    x.requestSha256 = raw.sha256;
    const body: ParsedBody = parseJson(raw.text);
    entry.body = body.ok ? body.value : null;
    log.changed();

    if (path === "/v1" || path.startsWith("/v1/")) {
      if (!isAuthorized(req.headers.authorization)) return x.json(401, invalidApiKey());
      if (method === "GET" && path === "/v1/models") return x.json(200, { object: "list", data: models });
      const modelMatch = /^\/v1\/models\/(.+)$/.exec(path);
      if (method === "GET" && modelMatch) {
        const model = models.find((m) => m.id === decodeURIComponent(modelMatch[1]));
        return model ? x.json(200, model) : x.json(404, modelNotFound(decodeURIComponent(modelMatch[1])));
      }
      if (method === "POST" && path === "/v1/chat/completions") {
        return handleChatCompletions(x, body, { models, replyStyle, chunkDelayMs, tee, dequeue: () => queue.shift() });
      }
      if (method === "GET" && path === "/v1/attestation/report") {
        const result = tee.report(models, entry.query);
        return "hang" in result ? x.untilGone() : x.json(result.status, result.body);
      }
      const signatureMatch = /^\/v1\/signature\/([^/]+)$/.exec(path);
      if (method === "GET" && signatureMatch) {
        const result = await tee.signature(models, decodeURIComponent(signatureMatch[1]), entry.query);
        return "hang" in result ? x.untilGone() : x.json(result.status, result.body);
      }
    }
    x.json(404, invalidRequest(`Invalid URL (${method} ${path})`));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!quiet) console.error("[fake-redpill] handler error:", error instanceof Error ? error.message : error);
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, openAIError("Internal error in the fake RedPill server.", "server_error", "server_error"));
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());

  const listening = options.listen ?? true;
  if (listening) {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  }
  const port = listening ? (server.address() as AddressInfo).port : 0;
  const origin = listening ? `http://${host.includes(":") ? `[${host}]` : host}:${port}` : IN_PROCESS_ORIGIN;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/v1`,
    port,
    fetch: inProcessFetch(server, origin),
    requests: log.entries,
    enqueue(behavior) {
      queue.push(fakeBehaviorSchema.parse(behavior));
    },
    addModel,
    models: () => [...models],
    setAttestationFault: (model, fault) => tee.setAttestationFault(model, fault),
    reset,
    waitFor: (predicate, timeoutMs) => log.waitFor(predicate, timeoutMs),
    close() {
      closing ??= new Promise<void>((resolve) => {
        shuttingDown = true;
        log.rejectAll("fake-redpill was closed");
        if (listening) server.close(() => resolve());
        else resolve();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

type RawBody = { ok: true; text: string; sha256: string } | { ok: false; reason: "aborted" | "too-large" };

async function readBody(req: IncomingMessage): Promise<RawBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_BODY_BYTES) return { ok: false, reason: "too-large" };
      chunks.push(buffer);
    }
  } catch {
    return { ok: false, reason: "aborted" };
  }
  const bytes = Buffer.concat(chunks);
  return { ok: true, text: bytes.toString("utf8"), sha256: createHash("sha256").update(bytes).digest("hex") };
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false; value?: undefined } {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(payload) });
  res.end(payload);
}

function describe(r: ReceivedRequest): string {
  const outcome = r.completed ? "done" : r.clientClosed ? "client closed" : "cut";
  const behavior = r.behavior && r.behavior.type !== "ok" ? ` [${r.behavior.type}]` : "";
  return `[fake-redpill] ${r.method} ${r.path} → ${r.status ?? "-"}${behavior} chunks=${r.chunksSent} ${outcome}`;
}
