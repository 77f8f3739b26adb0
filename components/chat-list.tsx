"use client";

import { MessageSquareIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

export interface ChatListItem {
  id: string;
  title: string;
}

export function ChatList({ chats }: { chats: ChatListItem[] }) {
  const pathname = usePathname();
  if (chats.length === 0) {
    return <p className="flex-1 px-4 py-2 text-sm text-muted-foreground">Your chats will appear here.</p>;
  }
  return (
    <nav aria-label="Chats" className="min-h-0 flex-1 overflow-y-auto px-2">
      <ul className="flex flex-col gap-0.5" data-testid="chat-list">
        {chats.map((chat) => {
          const href = `/chat/${chat.id}`;
          return (
            <li key={chat.id}>
              <Link
                href={href}
                className={cn(
                  "flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-accent",
                  pathname === href && "bg-accent font-medium",
                )}
              >
                <MessageSquareIcon className="size-3.5 shrink-0 text-muted-foreground" />
                <span className="truncate">{chat.title}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
