import "server-only";
import { gatewayErrorResponse } from "@/lib/gateway/errors";
import { REQUEST_ID_HEADER, requestIdFrom } from "@/lib/http/security-headers";
import { withLogContext } from "@/lib/log";
import { holdOpen, isDraining, serverShuttingDown } from "@/lib/server/shutdown";

type Handler<Ctx> = (request: Request, context: Ctx) => Promise<Response>;

/**
 * The wrapper of every /api/v1 route: route() of lib/http/handler.ts for API clients. A request id,
 * a 503 while shutting down, errors in OpenAI's shape. No same-origin check: these routes take a
 * bearer key, never a cookie, so another site cannot make a browser call them with its credentials.
 * The proxy skips /api/v1 (proxy.ts), so this is the only code in front of the handler.
 */
export function gatewayRoute<Ctx>(handler: Handler<Ctx>): Handler<Ctx> {
  return async (request, context) => {
    const requestId = requestIdFrom(request.headers);
    const response = await withLogContext({ requestId }, async () => {
      try {
        if (isDraining()) throw serverShuttingDown();
        return await holdOpen(handler(request, context));
      } catch (error) {
        return gatewayErrorResponse(error);
      }
    });
    try {
      response.headers.set(REQUEST_ID_HEADER, requestId);
      return response;
    } catch {
      // Immutable headers: the same body in a new response.
      const copy = new Response(response.body, response);
      copy.headers.set(REQUEST_ID_HEADER, requestId);
      return copy;
    }
  };
}
