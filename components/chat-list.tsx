"use client";

import { MessageSquareIcon, MoreHorizontalIcon, PencilIcon, SearchIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { readableChatError } from "@/lib/chat/client-errors";
import { cn } from "@/lib/utils";

export interface ChatListItem {
  id: string;
  title: string;
}

async function send(url: string, init: RequestInit): Promise<void> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(await response.text());
}

export function ChatList({ chats }: { chats: ChatListItem[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<ChatListItem | null>(null);

  const needle = query.trim().toLowerCase();
  const shown = needle ? chats.filter((chat) => chat.title.toLowerCase().includes(needle)) : chats;

  async function rename(chat: ChatListItem, title: string) {
    setEditing(null);
    if (!title.trim() || title.trim() === chat.title) return;
    try {
      await send(`/api/chats/${chat.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title }),
      });
      router.refresh();
    } catch (error) {
      toast.error(readableChatError(error as Error));
    }
  }

  async function remove(chat: ChatListItem) {
    try {
      await send(`/api/chats/${chat.id}`, { method: "DELETE" });
      if (pathname === `/chat/${chat.id}`) router.push("/");
      router.refresh();
    } catch (error) {
      toast.error(readableChatError(error as Error));
    }
  }

  if (chats.length === 0) {
    return <p className="flex-1 px-4 py-2 text-sm text-muted-foreground">Your chats will appear here.</p>;
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="relative px-3 pb-2">
        <SearchIcon className="pointer-events-none absolute top-2.5 left-5.5 size-4 text-muted-foreground" />
        <Input
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Search chats"
          aria-label="Search chats"
          className="h-8 pl-8"
        />
      </div>
      <nav aria-label="Chats" className="min-h-0 flex-1 overflow-y-auto px-2">
        {shown.length === 0 && <p className="px-2 py-1 text-sm text-muted-foreground">No chat matches “{query}”.</p>}
        <ul className="flex flex-col gap-0.5" data-testid="chat-list">
          {shown.map((chat) => {
            const href = `/chat/${chat.id}`;
            if (editing === chat.id) {
              return (
                <li key={chat.id} className="px-1 py-0.5">
                  <Input
                    autoFocus
                    defaultValue={chat.title}
                    aria-label="Chat title"
                    className="h-8"
                    onBlur={(event) => void rename(chat, event.target.value)}
                    onKeyDown={(event) => {
                      if (event.key === "Enter") void rename(chat, event.currentTarget.value);
                      if (event.key === "Escape") setEditing(null);
                    }}
                  />
                </li>
              );
            }
            return (
              <li key={chat.id} className="group relative">
                <Link
                  href={href}
                  className={cn(
                    "flex items-center gap-2 rounded-md py-1.5 pr-8 pl-2 text-sm hover:bg-accent",
                    pathname === href && "bg-accent font-medium",
                  )}
                >
                  <MessageSquareIcon className="size-3.5 shrink-0 text-muted-foreground" />
                  <span className="truncate">{chat.title}</span>
                </Link>
                <DropdownMenu>
                  <DropdownMenuTrigger
                    aria-label={`Actions for ${chat.title}`}
                    className="absolute top-1/2 right-1 -translate-y-1/2 rounded p-1 text-muted-foreground hover:bg-background hover:text-foreground data-[state=open]:opacity-100 md:opacity-0 md:group-hover:opacity-100 md:focus-visible:opacity-100"
                  >
                    <MoreHorizontalIcon className="size-4" />
                  </DropdownMenuTrigger>
                  <DropdownMenuContent align="end">
                    <DropdownMenuItem onSelect={() => setEditing(chat.id)}>
                      <PencilIcon /> Rename
                    </DropdownMenuItem>
                    <DropdownMenuItem variant="destructive" onSelect={() => setDeleting(chat)}>
                      <Trash2Icon /> Delete
                    </DropdownMenuItem>
                  </DropdownMenuContent>
                </DropdownMenu>
              </li>
            );
          })}
        </ul>
      </nav>
      <AlertDialog open={deleting !== null} onOpenChange={(open) => !open && setDeleting(null)}>
        <AlertDialogContent>
          <AlertDialogTitle className="text-lg font-semibold">Delete this chat?</AlertDialogTitle>
          <AlertDialogDescription className="text-sm text-muted-foreground">
            “{deleting?.title}” and its messages will be deleted. Usage records stay for your admins.
          </AlertDialogDescription>
          <div className="flex justify-end gap-2">
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction onClick={() => deleting && void remove(deleting)}>Delete</AlertDialogAction>
          </div>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
