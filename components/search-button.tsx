"use client";

import { SearchIcon } from "lucide-react";
import { useSyncExternalStore } from "react";
import { openChatSearch } from "@/components/chat-search";
import { Button } from "@/components/ui/button";

const noSubscription = () => () => {};
const isApple = () => /Mac|iPhone|iPad/.test(navigator.platform);

export function SearchButton() {
  const apple = useSyncExternalStore(noSubscription, isApple, () => false);
  return (
    <Button variant="ghost" className="w-full justify-start text-muted-foreground" onClick={openChatSearch} data-testid="search-chats">
      <SearchIcon /> Search chats
      <kbd className="ml-auto hidden rounded border bg-muted px-1.5 font-mono text-[10px] md:inline">{apple ? "⌘K" : "Ctrl K"}</kbd>
    </Button>
  );
}
