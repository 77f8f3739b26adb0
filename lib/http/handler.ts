import "server-only";
import { z } from "zod";
import { env } from "@/lib/env";
import { databaseUnavailable, isDatabaseUnavailable } from "@/lib/db/unavailable";
import { AppError } from "@/lib/errors";
import { HSTS_VALUE, REQUEST_ID_HEADER, requestIdFrom, wantsHsts } from "@/lib/http/security-headers";
import { log, withLogContext } from "@/lib/log";
import { holdOpen, isDraining, serverShuttingDown } from "@/lib/server/shutdown";
import { isUniqueViolation } from "@/lib/db/unique-violation";

/** Maps anything a route throws to the `{ error: { code, message } }` JSON shape, in one place. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) return error.toResponse();
  if (isUniqueViolation(error)) return new AppError("conflict:api", "That already exists.").toResponse();
  if (isDatabaseUnavailable(error)) {
    log.warn("database unavailable", { err: error });
    return databaseUnavailable().toResponse();
  }
  log.error("unhandled route error", { err: error });
  return new AppError("internal:api").toResponse();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers say where a request comes from. A state-changing request from another site (a form or
 * fetch on a page that is not Pillbox's) is refused before the handler runs. Clients that are not
 * browsers (curl, scripts) send neither header and are judged by their credentials alone.
 */
export function assertSameOrigin(request: Request): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new AppError("forbidden:api", "Cross-site requests are not allowed.");
  }
  const origin = request.headers.get("origin");
  if (!origin) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden:api", "Cross-site requests are not allowed.");
  }
  if (!host || originHost !== host) throw new AppError("forbidden:api", "Cross-site requests are not allowed.");
}

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response>;

/**
 * Every route handler runs in this wrapper: cross-site checks, errors mapped to JSON, and a request
 * id. The id is the one the proxy gave the request (or a sane one the caller sent), else a new one
 * (POST /api/chat skips the proxy); every line logged while handling the request carries it, and
 * the response returns it as `x-request-id`, with HSTS when due (next.config.ts adds the other
 * security headers).
 */
export function route<Ctx>(handler: Handler<Ctx>): Handler<Ctx> {
  return async (request, context) => {
    const requestId = requestIdFrom(request.headers);
    const response = await withLogContext({ requestId }, async () => {
      try {
        if (isDraining()) throw serverShuttingDown();
        assertSameOrigin(request);
        // A shutdown lets the requests already in hand finish (a reply's stream holds on by itself).
        return await holdOpen(handler(request, context));
      } catch (error) {
        return errorResponse(error);
      }
    });
    return withRequestHeaders(response, request, requestId);
  };
}

function withRequestHeaders(response: Response, request: Request, requestId: string): Response {
  const extra: [string, string][] = [[REQUEST_ID_HEADER, requestId]];
  if (wantsHsts(request.headers, request.url, env.AUTH_URL)) extra.push(["strict-transport-security", HSTS_VALUE]);
  try {
    for (const [key, value] of extra) response.headers.set(key, value);
    return response;
  } catch {
    // Immutable headers (Response.redirect, a fetched response): the same body in a new response.
    const copy = new Response(response.body, response);
    for (const [key, value] of extra) copy.headers.set(key, value);
    return copy;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request:api", `Invalid request: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The JSON body, validated. A body sent as anything but application/json is a 415. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) throw new AppError("unsupported_media_type:api");
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("bad_request:api", "The request body must be JSON.");
  }
  return parseWith(schema, body);
}

/** Query-string parameters as a plain object (empty values dropped), validated. */
export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "") raw[key] = value;
  return parseWith(schema, raw);
}

/** The client's address as the nearest proxy reports it (for the audit log and throttling). */
export function clientIp(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || null;
}
