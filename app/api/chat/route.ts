import { assertUsableModel } from "@/lib/access/policy";
import { listAccessRulesForUser } from "@/lib/db/groups";
import { assertActiveUser, requireSession } from "@/lib/auth/session";
import { assertChatAccess, dropReplies, saveUserTurn, splitForRegenerate } from "@/lib/chat/chats";
import { streamReply } from "@/lib/chat/reply";
import type { ChatMessage } from "@/lib/chat/types";
import { getChat } from "@/lib/db/chats";
import { listMessages } from "@/lib/db/messages";
import { getModel } from "@/lib/db/models";
import { getUserById } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { readJson, route } from "@/lib/http/handler";
import { postChatBody } from "./schema";

export const dynamic = "force-dynamic";

export const POST = route(async (request: Request) => {
  const receivedAt = performance.now();
  const session = await requireSession(request);
  const body = await readJson(request, postChatBody);

  // Everything the checks need, read at once. Nothing is written and nothing is sent upstream
  // before all of them pass.
  const [userRow, rules, modelRow, chat, stored] = await Promise.all([
    getUserById({ id: session.id }),
    listAccessRulesForUser({ userId: session.id }),
    getModel({ id: body.modelId }),
    getChat({ id: body.id }),
    listMessages({ chatId: body.id }) as Promise<ChatMessage[]>,
  ]);
  const user = assertActiveUser(userRow, session);
  const model = assertUsableModel({ user, model: modelRow, modelId: body.modelId, rules });
  assertChatAccess({ chat, user });
  // A reply that failed before its first token has no parts: it is shown, not sent upstream.
  const history = (messages: ChatMessage[]) => messages.filter((m) => m.parts.length > 0);

  if ("regenerate" in body) {
    if (!chat) throw new AppError("not_found:chat", "Chat not found.");
    const { prompt, replaced } = splitForRegenerate(stored);
    return streamReply({
      request,
      receivedAt,
      user,
      chatId: chat.id,
      model,
      history: history(prompt),
      // The replies being replaced go when the new one is on its way, not before.
      saveUserTurn: () => dropReplies({ chatId: chat.id, ids: replaced, modelId: model.id }),
    });
  }

  const message: ChatMessage = { id: crypto.randomUUID(), role: "user", parts: body.message.parts };
  return streamReply({
    request,
    receivedAt,
    user,
    chatId: body.id,
    model,
    history: [...history(stored), message],
    saveUserTurn: () => saveUserTurn({ user, chatId: body.id, exists: chat !== null, modelId: model.id, message }),
  });
});
