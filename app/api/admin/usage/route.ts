import { z } from "zod";
import { requireAdmin } from "@/lib/auth/session";
import { parseWith, route } from "@/lib/http/handler";
import { latestUsageRows } from "@/lib/usage/rows";

export const dynamic = "force-dynamic";

const query = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  const { limit } = parseWith(query, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ usage: await latestUsageRows({ limit }) });
});
