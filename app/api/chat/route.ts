import { requireUsableModel } from "@/lib/access/models";
import { requireUser } from "@/lib/auth/session";
import { openChat } from "@/lib/chat/chats";
import { streamReply } from "@/lib/chat/reply";
import { messageText, type ChatMessage } from "@/lib/chat/types";
import { listMessages, saveMessage } from "@/lib/db/messages";
import { readJson, route } from "@/lib/http/handler";
import { postChatBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = route(async (request: Request) => {
  const receivedAt = performance.now();
  const user = await requireUser();
  const body = await readJson(request, postChatBody);
  const model = await requireUsableModel({ user, modelId: body.modelId });
  const firstText = messageText(body.message);
  const chat = await openChat({ user, chatId: body.id, modelId: model.id, firstText });

  await saveMessage({ id: crypto.randomUUID(), chatId: chat.id, role: "user", parts: body.message.parts });
  const history = (await listMessages({ chatId: chat.id })) as ChatMessage[];

  return streamReply({ request, receivedAt, user, chat, model, history });
});
