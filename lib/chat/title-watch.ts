import { requestJson } from "@/lib/chat/client-fetch";
import { titleFrom } from "@/lib/chat/title";
import { messageText, type ChatMessage } from "@/lib/chat/types";

/** Waits between looks at the chat (ms): the title model usually answers within a second or two. */
const PAUSES = [400, 800, 1500, 2500, 4000, 6000];

/**
 * After a chat's first reply, while the server's title model names it (the reply said
 * `titlePending`): looks at the chat a few times until its title is no longer the automatic one,
 * then calls `onTitled` (the page refreshes, so the sidebar shows it). Returns a function that stops it.
 */
export function watchForTitle({
  chatId,
  messages,
  onTitled,
}: {
  chatId: string;
  messages: ChatMessage[];
  onTitled: () => void;
}): () => void {
  const firstUser = messages.find((m) => m.role === "user");
  const automatic = titleFrom(firstUser ? messageText(firstUser) : "");
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = async (attempt: number) => {
    if (stopped || attempt >= PAUSES.length) return;
    try {
      const { chat } = await requestJson<{ chat: { title: string } }>(`/api/chats/${chatId}`);
      if (chat.title !== automatic) {
        if (!stopped) onTitled();
        return;
      }
    } catch {
      // gone or offline: the next look may work, and the sidebar keeps the first words meanwhile
    }
    if (!stopped) timer = setTimeout(() => void look(attempt + 1), PAUSES[attempt + 1]);
  };
  timer = setTimeout(() => void look(0), PAUSES[0]);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
