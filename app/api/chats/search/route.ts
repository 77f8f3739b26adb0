import { requireUser } from "@/lib/auth/session";
import { searchOwnChats, searchParams } from "@/lib/chat/search";
import { readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Full-text search over the caller's own chat titles and messages: `?q=` (websearch syntax), `limit` ≤ 50. */
export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  const params = readQuery(request, searchParams);
  return Response.json({ results: await searchOwnChats({ userId: user.id, ...params }) });
});
