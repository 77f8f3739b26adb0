import { requireUser } from "@/lib/auth/session";
import { listChatPage, listParams } from "@/lib/chat/history";
import { readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/**
 * The signed-in user's chats: pinned first, then newest first, `limit` (default and most 100) at
 * a time. `nextCursor`, when not null, is the `cursor` for the next page.
 */
export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  const { limit, cursor } = readQuery(request, listParams);
  return Response.json(await listChatPage({ userId: user.id, limit, cursor }));
});
