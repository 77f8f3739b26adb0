import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { requireOwnedChat } from "@/lib/chat/chats";
import { parseWith, route } from "@/lib/http/handler";
import { verificationOf } from "@/lib/tee/view";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid(), messageId: z.string().min(1).max(200) });
type Context = { params: Promise<{ id: string; messageId: string }> };

/** A reply's TEE verification: the chat's owner only (anyone else gets the same 404 as for no chat). */
export const GET = route(async (request: Request, context: Context) => {
  const user = await requireUser(request);
  const { id, messageId } = parseWith(params, await context.params);
  const chat = await requireOwnedChat({ user, chatId: id });
  return Response.json(await verificationOf({ chatId: chat.id, messageId }), { headers: { "cache-control": "no-store" } });
});
