import { requireUser } from "@/lib/auth/session";
import { listChatsForUser } from "@/lib/db/chats";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** The signed-in user's chats, newest first. */
export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  return Response.json({ chats: await listChatsForUser({ userId: user.id }) });
});
