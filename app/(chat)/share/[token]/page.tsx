import { notFound } from "next/navigation";
import { SharedChatView } from "@/components/shared-chat";
import { requirePageUser } from "@/lib/auth/session";
import { readSharedChat } from "@/lib/chat/share";
import { isAppError } from "@/lib/errors";

/** A chat someone shared, read-only. Signed-in members only; an unknown or revoked link is a 404. */
export default async function SharedChatPage({ params }: { params: Promise<{ token: string }> }) {
  await requirePageUser();
  const { token } = await params;
  const chat = await readSharedChat(token).catch((error: unknown) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  return <SharedChatView chat={chat} />;
}
