import { requireUser } from "@/lib/auth/session";
import { readSharedChat } from "@/lib/chat/share";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** A shared chat, read-only, for any signed-in member. Unknown or revoked links are 404. */
export const GET = route(async (request: Request, context: { params: Promise<{ token: string }> }) => {
  await requireUser(request);
  const { token } = await context.params;
  return Response.json({ chat: await readSharedChat(token) });
});
