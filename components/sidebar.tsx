import { BarChart3Icon, LogOutIcon, PlusIcon, ReceiptIcon, SettingsIcon } from "lucide-react";
import Link from "next/link";
import { signOutAction } from "@/app/(auth)/actions";
import { Brand } from "@/components/brand";
import { ChatList, type ChatListItem } from "@/components/chat-list";
import { SearchButton } from "@/components/search-button";
import { ThemeToggle } from "@/components/theme-toggle";
import { Button } from "@/components/ui/button";

export function Sidebar({
  user,
  chats,
  nextCursor,
}: {
  user: { name: string; email: string; role: "ADMIN" | "MEMBER" };
  chats: ChatListItem[];
  nextCursor: string | null;
}) {
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex items-center justify-between px-3 pt-3 pb-2">
        <Brand />
        <div className="hidden md:block">
          <ThemeToggle />
        </div>
      </div>
      <div className="flex flex-col gap-1 px-3 pb-2">
        <Button asChild variant="outline" className="w-full justify-start">
          <Link href="/" data-testid="new-chat">
            <PlusIcon /> New chat
          </Link>
        </Button>
        <SearchButton />
      </div>
      <ChatList chats={chats} nextCursor={nextCursor} />
      <div className="border-t p-3 text-sm">
        <Button asChild variant="ghost" size="sm" className="mb-1 w-full justify-start">
          <Link href="/usage" data-testid="my-usage">
            <ReceiptIcon /> My usage
          </Link>
        </Button>
        {user.role === "ADMIN" && (
          <Button asChild variant="ghost" size="sm" className="mb-1 w-full justify-start">
            <Link href="/admin/usage">
              <BarChart3Icon /> Admin
            </Link>
          </Button>
        )}
        <Button asChild variant="ghost" size="sm" className="mb-1 w-full justify-start">
          <Link href="/settings" data-testid="settings-link">
            <SettingsIcon /> Settings
          </Link>
        </Button>
        <div className="flex items-center gap-2">
          <div className="min-w-0 flex-1">
            <div className="truncate font-medium">{user.name}</div>
            <div className="truncate text-xs text-muted-foreground">{user.email}</div>
          </div>
          <form action={signOutAction}>
            <Button type="submit" variant="ghost" size="icon" aria-label="Sign out" title="Sign out">
              <LogOutIcon />
            </Button>
          </form>
        </div>
      </div>
    </div>
  );
}
