import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { requireOwnedChat } from "@/lib/chat/chats";
import { exportChat, exportParams } from "@/lib/chat/export";
import { parseWith, readQuery, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

/** The owner's chat as a file: `?format=md` (default) or `?format=json`. Anyone else's chat is a 404. */
export const GET = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  const { format } = readQuery(request, exportParams);
  const chat = await requireOwnedChat({ user, chatId: id });
  return exportChat(chat, format);
});
