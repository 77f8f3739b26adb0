"use client";

import { MessageSquareIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Command, CommandEmpty, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Dialog, DialogContent, DialogTitle } from "@/components/ui/dialog";
import { requestJson } from "@/lib/chat/client-fetch";

interface Segment {
  text: string;
  hit: boolean;
}
interface Result {
  chatId: string;
  title: string;
  titleHighlight: Segment[];
  snippet: Segment[] | null;
}

export const OPEN_SEARCH_EVENT = "pillbox:open-search";

/** Opens the search dialog from anywhere on the page (the sidebar's button). */
export function openChatSearch(): void {
  window.dispatchEvent(new Event(OPEN_SEARCH_EVENT));
}

/** Matched words in bold; the text stays text (never HTML). */
function Highlighted({ segments }: { segments: Segment[] }) {
  return segments.map((segment, i) =>
    segment.hit ? (
      <mark key={i} className="rounded-sm bg-yellow-200/70 px-0.5 text-inherit dark:bg-yellow-500/30">
        {segment.text}
      </mark>
    ) : (
      <span key={i}>{segment.text}</span>
    ),
  );
}

type Found = { query: string; results: Result[] } | { query: string; error: string };

/** Ctrl/Cmd+K: full-text search over your chats' titles and messages. One per page. */
export function ChatSearch() {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<Found | null>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((was) => !was);
      }
    };
    const onOpen = () => setOpen(true);
    window.addEventListener("keydown", onKey);
    window.addEventListener(OPEN_SEARCH_EVENT, onOpen);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener(OPEN_SEARCH_EVENT, onOpen);
    };
  }, []);

  const q = query.trim();
  useEffect(() => {
    if (!q) return;
    let live = true;
    // Search as you type, once typing pauses.
    const timer = setTimeout(() => {
      requestJson<{ results: Result[] }>(`/api/chats/search?${new URLSearchParams({ q })}`)
        .then(({ results }) => live && setFound({ query: q, results }))
        .catch((error: Error) => live && setFound({ query: q, error: error.message }));
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);

  function choose(chatId: string) {
    setOpen(false);
    setQuery("");
    router.push(`/chat/${chatId}`);
  }

  const current = q && found?.query === q ? found : null;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent
        className="top-[12%] max-w-xl translate-y-0 gap-0 overflow-hidden p-0 [&>button:last-child]:hidden"
        aria-describedby={undefined}
      >
        <DialogTitle className="sr-only">Search chats</DialogTitle>
        <Command shouldFilter={false} label="Search your chats" className="rounded-lg">
          <CommandInput value={query} onValueChange={setQuery} placeholder="Search your chats…" />
          <CommandList label="Chats found" className="max-h-[min(420px,60vh)]" data-testid="search-results">
            {!q && <p className="px-3 py-6 text-center text-sm text-muted-foreground">Find a chat by a word in its title or messages.</p>}
            {q && !current && <p className="px-3 py-6 text-center text-sm text-muted-foreground">Searching…</p>}
            {current && "error" in current && (
              <p role="alert" className="px-3 py-6 text-center text-sm text-destructive">
                {current.error}
              </p>
            )}
            {current && "results" in current && <CommandEmpty>No chat matches “{current.query}”.</CommandEmpty>}
            {current &&
              "results" in current &&
              current.results.map((result) => (
                <CommandItem
                  key={result.chatId}
                  value={result.chatId}
                  onSelect={() => choose(result.chatId)}
                  className="mx-1 flex-col items-start gap-0.5 py-2"
                  data-testid="search-result"
                >
                  <span className="flex w-full min-w-0 items-center gap-2 font-medium">
                    <MessageSquareIcon className="size-3.5 text-muted-foreground" />
                    <span className="truncate">
                      <Highlighted segments={result.titleHighlight} />
                    </span>
                  </span>
                  {result.snippet && (
                    <span className="line-clamp-2 pl-5.5 text-xs text-muted-foreground">
                      <Highlighted segments={result.snippet} />
                    </span>
                  )}
                </CommandItem>
              ))}
          </CommandList>
        </Command>
      </DialogContent>
    </Dialog>
  );
}
