import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers. Public: says nothing secret. */
export const GET = route(async () => {
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    throw new AppError("unavailable:database", "The database is not reachable.", { cause: error });
  }
  return Response.json({ status: "ok" });
});
