import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import pino from "pino";
import { env } from "@/lib/env";

/**
 * JSON log lines from pino: info and below on stdout, warn and above on stderr, at `LOG_LEVEL`.
 * A line written while a request is handled carries its `requestId` (see `withLogContext`).
 *
 * Secrets never reach the log: pino's `redact` blanks cookie and authorization headers, passwords
 * and keys in the fields, and every finished line then passes through `redact()`, which replaces
 * the RedPill key, AUTH_SECRET and the single sign-on client secret wherever they appear, e.g. in
 * an upstream error message or a URL.
 */

const REDACTED = "[redacted]";

/** The secrets as they are used (trimmed) and as they were given, shortest forms not worth hiding skipped. */
function secrets(): string[] {
  const values = [
    env.REDPILL_API_KEY,
    process.env.REDPILL_API_KEY,
    process.env.AUTH_SECRET, // set from the database at start when not configured
    process.env.AUTH_OIDC_CLIENT_SECRET,
  ];
  const found = new Set<string>();
  for (const value of values) {
    const trimmed = value?.trim();
    if (!trimmed || trimmed.length < 8) continue;
    found.add(trimmed);
    // As it appears inside a JSON string (a secret with quotes or backslashes is escaped there).
    found.add(JSON.stringify(trimmed).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  return [...found].sort((a, b) => b.length - a.length);
}

/** A personal API key's secret (lib/keys/secret.ts): only its display prefix may stay. */
const API_KEY_SECRET = /\b(pb_[A-Za-z0-9_-]{8})[A-Za-z0-9_-]{12,}/g;

/** The text with every secret replaced by "[redacted]". */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets()) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  if (out.includes("pb_")) out = out.replace(API_KEY_SECRET, `$1${REDACTED}`);
  return out;
}

const HEADER_PATHS = ["cookie", "authorization", "set-cookie", "x-api-key", "proxy-authorization"];
const FIELD_PATHS = ["password", "newPassword", "currentPassword", "apiKey", "secret", "token", "cookie", "authorization"];

const redactPaths = [
  ...HEADER_PATHS.flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`, `request.headers["${h}"]`, `*.headers["${h}"]`]),
  ...FIELD_PATHS.flatMap((f) => [f, `*.${f}`]),
];

/** An error as a few flat fields: its message, name and cause's message, never its other properties (request bodies, prompts). */
function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: error.cause.message } : {};
  return { error: error.message, name: error.name, ...cause };
}

// One logger and one request context per process, on globalThis: Next bundles this module into
// several server bundles (instrumentation, each route), and a line logged from any of them must
// see the context a route handler set in another copy.
const globalForLog = globalThis as unknown as {
  pillboxLogger?: pino.Logger;
  pillboxLogContext?: AsyncLocalStorage<{ requestId: string }>;
};
const requestContext = (globalForLog.pillboxLogContext ??= new AsyncLocalStorage<{ requestId: string }>());

/** Runs `fn` so that every line it logs (also from its promises and callbacks) carries `requestId`. */
export function withLogContext<T>(context: { requestId: string }, fn: () => T): T {
  return requestContext.run(context, fn);
}

/** The request id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

function createLogger(): pino.Logger {
  const stdout = pino.destination({ fd: 1, sync: true });
  const stderr = pino.destination({ fd: 2, sync: true });
  return pino(
    {
      level: env.LOG_LEVEL,
      messageKey: "message",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: REDACTED },
      mixin: () => requestContext.getStore() ?? {},
      hooks: { streamWrite: redact },
    },
    pino.multistream(
      [
        { level: "trace", stream: stdout },
        { level: "warn", stream: stderr },
      ],
      { dedupe: true },
    ),
  );
}

const logger = (globalForLog.pillboxLogger ??= createLogger());

type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", message: string, fields: Fields = {}): void {
  if (!logger.isLevelEnabled(level)) return;
  const { err, ...rest } = fields;
  logger[level](err === undefined ? rest : { ...rest, ...describe(err) }, message);
}

export const log = {
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

/**
 * From now on, what anything prints with `console` (Next's own messages, a library's warning)
 * becomes a JSON log line too, and passes the same redaction. Called once at server start.
 */
export function captureConsole(): void {
  const to = (level: "info" | "warn" | "error") => (...args: unknown[]) => write(level, format(...args));
  console.log = to("info");
  console.info = to("info");
  console.debug = to("info");
  console.warn = to("warn");
  console.error = to("error");
}
