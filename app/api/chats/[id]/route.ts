import { removingFiles } from "@/lib/attachments/store";
import { requireUser } from "@/lib/auth/session";
import { chatIdOf, requireOwnedChat, requireOwnedChatOf, type ChatRouteContext } from "@/lib/chat/chats";
import { changeChat, chatChange } from "@/lib/chat/history";
import { deleteChat } from "@/lib/db/chats";
import { listMessages } from "@/lib/db/messages";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** One of the user's chats with its messages (UIMessage shape). Another user's chat is a 404. */
export const GET = route(async (request: Request, context: ChatRouteContext) => {
  const chat = await requireOwnedChatOf(request, context);
  return Response.json({ chat, messages: await listMessages({ chatId: chat.id }) });
});

/** Rename, pin and/or replace the settings: `{ title?, pinned?, settings? }`. None moves the chat in time (its `updatedAt` stays). */
export const PATCH = route(async (request: Request, context: ChatRouteContext) => {
  const user = await requireUser(request);
  const id = await chatIdOf(context);
  const change = await readJson(request, chatChange);
  const chat = await requireOwnedChat({ user, chatId: id });
  return Response.json({ chat: await changeChat(chat, change) });
});

/** Deletes the chat, its messages and its files; its usage rows stay for the admins' ledger. */
export const DELETE = route(async (request: Request, context: ChatRouteContext) => {
  const chat = await requireOwnedChatOf(request, context);
  await removingFiles({ chatId: chat.id }, () => deleteChat({ id: chat.id }));
  return new Response(null, { status: 204 });
});
