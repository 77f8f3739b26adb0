import { notFound } from "next/navigation";
import { z } from "zod";
import { Chat } from "@/components/chat";
import { attachmentLimits } from "@/lib/attachments/store";
import { listUsableModels } from "@/lib/access/policy";
import { requirePageUser } from "@/lib/auth/session";
import { pickInitialModel } from "@/lib/chat/initial-model";
import { compactSettings, storedSettings } from "@/lib/chat/settings";
import type { ChatMessage } from "@/lib/chat/types";
import { getChat } from "@/lib/db/chats";
import { listMessages } from "@/lib/db/messages";
import { toModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export default async function ChatPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePageUser();
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const chat = await getChat({ id });
  if (!chat || chat.userId !== user.id) notFound();
  const [messages, models, workspace] = await Promise.all([
    listMessages({ chatId: id }),
    listUsableModels(user),
    getWorkspaceSettings(),
  ]);
  const options = models.map(toModelOption);
  return (
    <Chat
      key={id}
      id={id}
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
