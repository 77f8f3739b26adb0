import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

/** Maps anything a route throws to the `{ error: { code, message } }` JSON shape, in one place. */
export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) return error.toResponse();
  log.error("unhandled route error", { err: error });
  return new AppError("internal:api").toResponse();
}

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response>;

export function route<Ctx>(handler: Handler<Ctx>): Handler<Ctx> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
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

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError("bad_request:api", "The request body must be JSON.");
  }
  return parseWith(schema, body);
}
