"use client";

import { FileJsonIcon, FileTextIcon, MoreHorizontalIcon, Share2Icon } from "lucide-react";
import { useState } from "react";
import { ShareDialog } from "@/components/share-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";

/** The open chat's Share and Export, in its header (the sidebar's menu has them too). */
export function ChatActions({ chat }: { chat: { id: string; title: string } }) {
  const [sharing, setSharing] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon" className="size-8" aria-label="Chat actions" data-testid="chat-actions">
            <MoreHorizontalIcon />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end">
          <ShareAndExportItems chatId={chat.id} onShare={() => setSharing(true)} />
        </DropdownMenuContent>
      </DropdownMenu>
      <ShareDialog chat={sharing ? chat : null} onClose={() => setSharing(false)} />
    </>
  );
}

/** A chat menu's Share… and its two exports (the chat header's menu and each sidebar row's). */
export function ShareAndExportItems({ chatId, onShare }: { chatId: string; onShare: () => void }) {
  const exportUrl = (format: "md" | "json") => `/api/chats/${chatId}/export?format=${format}`;
  return (
    <>
      <DropdownMenuItem onSelect={onShare}>
        <Share2Icon /> Share…
      </DropdownMenuItem>
      <DropdownMenuSeparator />
      <DropdownMenuItem asChild>
        <a href={exportUrl("md")} download>
          <FileTextIcon /> Export as Markdown
        </a>
      </DropdownMenuItem>
      <DropdownMenuItem asChild>
        <a href={exportUrl("json")} download>
          <FileJsonIcon /> Export as JSON
        </a>
      </DropdownMenuItem>
    </>
  );
}
