import { AlertTriangleIcon, CircleStopIcon, GaugeIcon, HistoryIcon, RefreshCwIcon } from "lucide-react";
import { CopyButton } from "@/components/copy-button";
import { Button } from "@/components/ui/button";
import { Markdown } from "@/components/markdown";
import { UserMessage } from "@/components/user-message";
import { ReasoningBlock } from "@/components/reasoning-block";
import { TeeVerification } from "@/components/tee-verification";
import { messageReasoning } from "@/lib/chat/reasoning";
import { messageText, type ChatMessage } from "@/lib/chat/types";
import { cn } from "@/lib/utils";

export function ChatMessageView({
  message,
  chatId,
  streaming,
  onRegenerate,
  onEdit,
}: {
  message: ChatMessage;
  /** The chat's id, where a TEE reply's verification can be read (none in a shared view). */
  chatId?: string;
  streaming: boolean;
  /** Set on the last reply when nothing is streaming. */
  onRegenerate?: () => void;
  /** Set on user messages when nothing is streaming: resend the message, edited. */
  onEdit?: (text: string) => void;
}) {
  if (message.role === "user") return <UserMessage message={message} onEdit={onEdit} />;
  const text = messageText(message);
  const meta = message.metadata;
  const reasoning = messageReasoning(message);
  return (
    <div className="flex flex-col gap-1" data-testid="message-assistant" data-status={meta?.status}>
      {meta?.notices?.map((notice) => (
        <p
          key={notice}
          role="status"
          data-testid="budget-notice"
          className="flex w-fit items-start gap-2 rounded-lg bg-amber-500/10 px-3 py-2 text-sm text-amber-800 dark:text-amber-300"
        >
          <GaugeIcon className="mt-0.5 size-4 shrink-0" />
          {notice}
        </p>
      ))}
      {meta?.droppedMessages ? (
        <p
          role="status"
          data-testid="context-notice"
          className="flex w-fit items-start gap-2 rounded-lg bg-muted px-3 py-2 text-sm text-muted-foreground"
        >
          <HistoryIcon className="mt-0.5 size-4 shrink-0" />
          {meta.droppedMessages === 1 ? "The oldest message was" : `The ${meta.droppedMessages} oldest messages were`} left out:
          the conversation is longer than this model&apos;s context.
        </p>
      ) : null}
      {reasoning && <ReasoningBlock reasoning={reasoning} thinking={streaming && !text} reasoningMs={meta?.reasoningMs} />}
      {text ? <Markdown text={text} streaming={streaming} /> : null}
      {streaming && !text && !reasoning && <TypingDots />}
      {meta?.status === "error" && meta.errorMessage && (
        <Notice kind="error" onRetry={onRegenerate}>
          {meta.errorMessage}
        </Notice>
      )}
      {meta?.status === "aborted" && (
        <Notice kind="stopped" onRetry={onRegenerate}>
          {text ? "Stopped — the reply above is partial." : "Stopped before the reply started."}
        </Notice>
      )}
      {!streaming && text && (
        <div className="flex flex-wrap items-center gap-1 text-muted-foreground">
          <CopyButton text={() => text} className="hover:bg-accent hover:text-foreground" />
          {chatId && meta?.verification && <TeeVerification chatId={chatId} messageId={message.id} initial={meta.verification} />}
          {onRegenerate && meta?.status !== "error" && meta?.status !== "aborted" && (
            <Button variant="ghost" size="sm" className="h-7 px-1.5 text-xs" onClick={onRegenerate} data-testid="regenerate">
              <RefreshCwIcon className="size-3.5" /> Regenerate
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

export function Notice({
  kind,
  children,
  onRetry,
}: {
  kind: "error" | "stopped";
  children: React.ReactNode;
  onRetry?: () => void;
}) {
  const Icon = kind === "error" ? AlertTriangleIcon : CircleStopIcon;
  return (
    <div
      role={kind === "error" ? "alert" : "status"}
      data-testid={kind === "error" ? "chat-error" : "chat-stopped"}
      className={cn(
        "flex w-fit items-start gap-2 rounded-lg px-3 py-2 text-sm",
        kind === "error" ? "bg-destructive/10 text-destructive" : "bg-muted text-muted-foreground",
      )}
    >
      <Icon className="mt-0.5 size-4 shrink-0" />
      <span>{children}</span>
      {onRetry && (
        <button type="button" onClick={onRetry} data-testid="retry" className="ml-1 shrink-0 font-medium underline underline-offset-2">
          {kind === "error" ? "Retry" : "Regenerate"}
        </button>
      )}
    </div>
  );
}

function TypingDots() {
  return (
    <div className="flex h-7 items-center gap-1" aria-label="Waiting for the reply">
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          className="size-1.5 animate-bounce rounded-full bg-muted-foreground"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </div>
  );
}
