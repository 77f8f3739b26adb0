import { z } from "zod";
import { AppError } from "@/lib/errors";
import { databaseAnswers, readiness, VERSION } from "@/lib/health/readiness";
import { readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  ready: z.stringbool({ truthy: ["1", "true"], falsy: ["0", "false"] }).optional(),
});

/**
 * Public, says nothing secret. `GET /api/health`: liveness (one trivial query). `?ready=1`:
 * readiness for a load balancer (the database, its migrations, the catalog's age); 503 when not ready.
 */
export const GET = route(async (request) => {
  const { ready } = readQuery(request, querySchema);
  if (!ready) {
    if (!(await databaseAnswers())) {
      throw new AppError("unavailable:database", "The database is not reachable.", { details: { version: VERSION } });
    }
    return Response.json({ status: "ok", version: VERSION });
  }
  const result = await readiness();
  if (!result.ready) {
    throw new AppError("unavailable:database", `Not ready: ${result.reason}`, {
      details: { version: VERSION, checks: result.checks },
    });
  }
  return Response.json({ status: "ok", version: VERSION, checks: result.checks });
});
