import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { ChatSearch } from "@/components/chat-search";
import { Sidebar } from "@/components/sidebar";
import { requirePageUser } from "@/lib/auth/session";
import { listChatPage } from "@/lib/chat/history";

const FIRST_PAGE = 50;

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const page = await listChatPage({ userId: user.id, limit: FIRST_PAGE });
  const chats = page.chats.map((chat) => ({
    id: chat.id,
    title: chat.title,
    updatedAt: chat.updatedAt.toISOString(),
    pinnedAt: chat.pinnedAt?.toISOString() ?? null,
  }));
  return (
    <AppShell sidebar={<Sidebar user={user} chats={chats} nextCursor={page.nextCursor} />}>
      {children}
      <ChatSearch />
    </AppShell>
  );
}
