"use client";

import {
  MessageSquareIcon,
  MoreHorizontalIcon,
  PencilIcon,
  PinIcon,
  PinOffIcon,
  Trash2Icon,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import { toast } from "sonner";
import { ShareAndExportItems } from "@/components/chat-actions";
import { ShareDialog } from "@/components/share-dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { requestJson } from "@/lib/chat/client-fetch";
import { cancelDelete, commitDelete, hiddenChats, noHiddenChats, scheduleDelete, subscribePendingDeletes } from "@/lib/chat/pending-deletes";
import { groupChats, type SidebarChat } from "@/lib/chat/sidebar-sections";
import { cn } from "@/lib/utils";

export type ChatListItem = SidebarChat;

const PAGE_SIZE = 50;
const UNDO_MS = 6000;

/** Local midnight, re-read every minute: the groups move on at midnight. null while rendering on the server. */
function subscribeClock(onChange: () => void) {
  const timer = setInterval(onChange, 60_000);
  return () => clearInterval(timer);
}
function startOfToday(): number {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

function merge(known: Map<string, SidebarChat>, chats: SidebarChat[]): Map<string, SidebarChat> {
  const next = new Map(known);
  for (const chat of chats) next.set(chat.id, chat);
  return next;
}

/**
 * The sidebar's chats: Pinned, Today, Yesterday, Previous 7 days, Older. The first page comes with
 * the page; more load as the end of the list scrolls into view. Everything seen stays known, so a
 * refreshed first page (after a new message) never drops a chat that slid below it.
 */
export function ChatList({ chats: firstPage, nextCursor }: { chats: SidebarChat[]; nextCursor: string | null }) {
  const pathname = usePathname();
  const router = useRouter();
  const [known, setKnown] = useState(() => merge(new Map(), firstPage));
  const [seenFirstPage, setSeenFirstPage] = useState(firstPage);
  const [cursor, setCursor] = useState(nextCursor);
  const [loadedMore, setLoadedMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [sharing, setSharing] = useState<SidebarChat | null>(null);
  const hidden = useSyncExternalStore(subscribePendingDeletes, hiddenChats, noHiddenChats);
  const today = useSyncExternalStore(subscribeClock, startOfToday, () => null);
  const sentinel = useRef<HTMLDivElement>(null);

  if (firstPage !== seenFirstPage) {
    setSeenFirstPage(firstPage);
    setKnown((k) => merge(k, firstPage));
    if (!loadedMore) setCursor(nextCursor);
  }

  const loadMore = useCallback(async () => {
    if (!cursor || loading) return;
    setLoading(true);
    try {
      const page = await requestJson<{ chats: SidebarChat[]; nextCursor: string | null }>(
        `/api/chats?${new URLSearchParams({ cursor, limit: String(PAGE_SIZE) })}`,
      );
      setKnown((k) => {
        // A chat already known may be newer than the page's copy (renamed or pinned here): keep ours.
        const fresh = page.chats.filter((chat) => !k.has(chat.id));
        return merge(k, fresh);
      });
      setCursor(page.nextCursor);
      setLoadedMore(true);
    } catch (error) {
      toast.error((error as Error).message);
    } finally {
      setLoading(false);
    }
  }, [cursor, loading]);

  useEffect(() => {
    const end = sentinel.current;
    if (!cursor || loading || !end) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadMore(), {
      root: end.closest("nav"),
      rootMargin: "200px",
    });
    observer.observe(end);
    return () => observer.disconnect();
  }, [cursor, loading, loadMore]);

  async function change(chat: SidebarChat, body: { title?: string; pinned?: boolean }) {
    try {
      const { chat: saved } = await requestJson<{ chat: SidebarChat }>(`/api/chats/${chat.id}`, {
        method: "PATCH",
        body: JSON.stringify(body),
      });
      setKnown((k) => merge(k, [{ id: saved.id, title: saved.title, updatedAt: saved.updatedAt, pinnedAt: saved.pinnedAt }]));
    } catch (error) {
      toast.error((error as Error).message);
    }
  }

  function rename(chat: SidebarChat, title: string) {
    setEditing(null);
    if (title.trim() && title.trim() !== chat.title) void change(chat, { title });
  }

  function remove(chat: SidebarChat) {
    scheduleDelete(chat.id);
    if (pathname === `/chat/${chat.id}`) router.push("/");
    const commit = () =>
      void commitDelete(chat.id).then((outcome) => {
        if (outcome === "failed") toast.error(`“${chat.title}” could not be deleted. It is back in the list.`);
      });
    toast(`Deleted “${chat.title}”`, {
      id: `delete-${chat.id}`,
      duration: UNDO_MS,
      action: { label: "Undo", onClick: () => cancelDelete(chat.id) },
      onAutoClose: commit,
      onDismiss: commit,
    });
  }

  const visible = [...known.values()].filter((chat) => !hidden.has(chat.id));
  const groups = groupChats(visible, today);

  if (visible.length === 0 && !cursor) {
    return <p className="flex-1 px-4 py-2 text-sm text-muted-foreground">Your chats will appear here.</p>;
  }
  return (
    <nav aria-label="Chats" className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
      <div data-testid="chat-list">
        {groups.map(({ section, chats }) => (
          <section key={section ?? "all"} aria-label={section ?? "Chats"} data-testid={section ? `chat-section-${section}` : undefined}>
            {section && <h2 className="px-2 pt-3 pb-1 text-xs font-medium text-muted-foreground">{section}</h2>}
            <ul className="flex flex-col gap-0.5">
              {chats.map((chat) =>
                editing === chat.id ? (
                  <li key={chat.id} className="px-1 py-0.5">
                    <Input
                      autoFocus
                      defaultValue={chat.title}
                      aria-label="Chat title"
                      className="h-8"
                      onBlur={(event) => rename(chat, event.target.value)}
                      onKeyDown={(event) => {
                        if (event.key === "Enter") rename(chat, event.currentTarget.value);
                        if (event.key === "Escape") setEditing(null);
                      }}
                    />
                  </li>
                ) : (
                  <ChatRow
                    key={chat.id}
                    chat={chat}
                    active={pathname === `/chat/${chat.id}`}
                    onPin={() => void change(chat, { pinned: !chat.pinnedAt })}
                    onRename={() => setEditing(chat.id)}
                    onShare={() => setSharing(chat)}
                    onDelete={() => remove(chat)}
                  />
                ),
              )}
            </ul>
          </section>
        ))}
        {cursor && (
          <div ref={sentinel} className="px-2 py-2 text-xs text-muted-foreground" data-testid="chat-list-more">
            {loading ? "Loading more chats…" : " "}
          </div>
        )}
      </div>
      <ShareDialog chat={sharing} onClose={() => setSharing(null)} />
    </nav>
  );
}

function ChatRow({
  chat,
  active,
  onPin,
  onRename,
  onShare,
  onDelete,
}: {
  chat: SidebarChat;
  active: boolean;
  onPin: () => void;
  onRename: () => void;
  onShare: () => void;
  onDelete: () => void;
}) {
  const href = `/chat/${chat.id}`;
  return (
    <li className="group relative">
      <Link
        href={href}
        className={cn(
          "flex items-center gap-2 rounded-md py-1.5 pr-8 pl-2 text-sm hover:bg-accent",
          active && "bg-accent font-medium",
        )}
      >
        {chat.pinnedAt ? (
          <PinIcon className="size-3.5 shrink-0 text-muted-foreground" aria-label="Pinned" />
        ) : (
          <MessageSquareIcon className="size-3.5 shrink-0 text-muted-foreground" />
        )}
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
          <DropdownMenuItem onSelect={onPin}>{chat.pinnedAt ? <><PinOffIcon /> Unpin</> : <><PinIcon /> Pin</>}</DropdownMenuItem>
          <DropdownMenuItem onSelect={onRename}>
            <PencilIcon /> Rename
          </DropdownMenuItem>
          <ShareAndExportItems chatId={chat.id} onShare={onShare} />
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={onDelete}>
            <Trash2Icon /> Delete
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
    </li>
  );
}
