import { requireUser } from "@/lib/auth/session";
import { chatIdOf, requireOwnedChat, type ChatRouteContext } from "@/lib/chat/chats";
import { exportChat, exportParams } from "@/lib/chat/export";
import { readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** The owner's chat as a file: `?format=md` (default) or `?format=json`. Anyone else's chat is a 404. */
export const GET = route(async (request: Request, context: ChatRouteContext) => {
  const user = await requireUser(request);
  const id = await chatIdOf(context);
  const { format } = readQuery(request, exportParams);
  const chat = await requireOwnedChat({ user, chatId: id });
  return exportChat(chat, format);
});
