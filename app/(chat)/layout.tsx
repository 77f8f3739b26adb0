import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Sidebar } from "@/components/sidebar";
import { requirePageUser } from "@/lib/auth/session";
import { listChatsForUser } from "@/lib/db/chats";

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const chats = await listChatsForUser({ userId: user.id });
  return (
    <AppShell sidebar={<Sidebar user={user} chats={chats} />}>
      {children}
    </AppShell>
  );
}
