import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { requireOwnedChat } from "@/lib/chat/chats";
import { changeChat, chatChange } from "@/lib/chat/history";
import { deleteChat } from "@/lib/db/chats";
import { listMessages } from "@/lib/db/messages";
import { parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });

type Context = { params: Promise<{ id: string }> };

async function ownedChat(request: Request, context: Context) {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  return requireOwnedChat({ user, chatId: id });
}

/** One of the user's chats with its messages (UIMessage shape). Another user's chat is a 404. */
export const GET = route(async (request: Request, context: Context) => {
  const chat = await ownedChat(request, context);
  return Response.json({ chat, messages: await listMessages({ chatId: chat.id }) });
});

/** Rename and/or pin: `{ title?, pinned? }`. Neither moves the chat in time (its `updatedAt` stays). */
export const PATCH = route(async (request: Request, context: Context) => {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  const change = await readJson(request, chatChange);
  const chat = await requireOwnedChat({ user, chatId: id });
  return Response.json({ chat: await changeChat(chat, change) });
});

/** Deletes the chat and its messages; its usage rows stay for the admins' ledger. */
export const DELETE = route(async (request: Request, context: Context) => {
  const chat = await ownedChat(request, context);
  await deleteChat({ id: chat.id });
  return new Response(null, { status: 204 });
});
