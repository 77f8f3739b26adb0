"use client";

import { EyeIcon } from "lucide-react";
import { ChatMessageView } from "@/components/chat-message";
import type { SharedChat } from "@/lib/chat/share";

export function SharedChatView({ chat }: { chat: SharedChat }) {
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="shared-chat">
      <div className="flex min-h-12 shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b px-3 py-2">
        <h1 className="min-w-0 truncate font-semibold">{chat.title}</h1>
        <span className="flex items-center gap-1 rounded-full bg-secondary px-2 py-0.5 text-xs text-muted-foreground">
          <EyeIcon className="size-3" /> Read-only · shared by {chat.ownerName}
        </span>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-3xl flex-col gap-6 px-4 py-6">
          {chat.messages.length === 0 && <p className="text-center text-sm text-muted-foreground">This chat has no messages yet.</p>}
          {chat.messages.map((message) => (
            <ChatMessageView key={message.id} message={message} streaming={false} />
          ))}
        </div>
      </div>
    </div>
  );
}
