import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { requireOwnedChat } from "@/lib/chat/chats";
import { listMessages } from "@/lib/db/messages";
import { parseWith, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** One of the user's chats with its messages (UIMessage shape). Another user's chat is a 404. */
export const GET = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  const chat = await requireOwnedChat({ user, chatId: id });
  return Response.json({ chat, messages: await listMessages({ chatId: chat.id }) });
});
