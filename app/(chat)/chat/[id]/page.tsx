import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { Chat } from "@/components/chat";
import { ChatSkeleton } from "@/components/loading-skeletons";
import { attachmentLimits } from "@/lib/attachments/store";
import { listUsableModels } from "@/lib/access/policy";
import { requirePageUser, type CurrentUser } from "@/lib/auth/session";
import { pickInitialModel } from "@/lib/chat/initial-model";
import { compactSettings, storedSettings } from "@/lib/chat/settings";
import type { ChatMessage } from "@/lib/chat/types";
import { getChat } from "@/lib/db/chats";
import type { Chat as ChatRow } from "@/lib/db/generated/client";
import { listMessages } from "@/lib/db/messages";
import { withVerifications } from "@/lib/tee/chat-view";
import { toModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const chat = await getChat({ id });
  if (!chat || chat.userId !== user.id) notFound();
  // Decided before anything streams, so a missing chat is a real 404; the rest loads behind a skeleton.
  return (
    <Suspense fallback={<ChatSkeleton />}>
      <ChatView user={user} chat={chat} />
    </Suspense>
  );
}

async function ChatView({ user, chat }: { user: CurrentUser; chat: ChatRow }) {
  const [messages, models, workspace] = await Promise.all([
    withVerifications(chat.id, listMessages({ chatId: chat.id })),
    listUsableModels(user),
    getWorkspaceSettings(),
  ]);
  const options = models.map(toModelOption);
  return (
    <Chat
      key={chat.id}
      id={chat.id}
      isNew={false}
      title={chat.title}
      initialMessages={messages as ChatMessage[]}
      models={options}
      initialModelId={await pickInitialModel(options, chat.modelId)}
      initialSettings={storedSettings(chat.settings)}
      settingDefaults={compactSettings(workspace.chatDefaults)}
      attachmentLimits={attachmentLimits()}
    />
  );
}
