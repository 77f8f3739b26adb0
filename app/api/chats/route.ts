import { requireUser } from "@/lib/auth/session";
import { listChatsForUser } from "@/lib/db/chats";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** The signed-in user's chats, newest first. */
export const GET = route(async () => {
  const user = await requireUser();
  return Response.json({ chats: await listChatsForUser({ userId: user.id }) });
});
