import { AlertTriangleIcon, CircleStopIcon } from "lucide-react";
import { Markdown } from "@/components/markdown";
import { messageText, type ChatMessage } from "@/lib/chat/types";
import { cn } from "@/lib/utils";

export function ChatMessageView({ message, streaming }: { message: ChatMessage; streaming: boolean }) {
  const text = messageText(message);
  if (message.role === "user") {
    return (
      <div className="flex justify-end" data-testid="message-user">
        <div className="max-w-[85%] rounded-2xl bg-secondary px-4 py-2 text-[15px] leading-7 whitespace-pre-wrap">
          {text}
        </div>
      </div>
    );
  }
  const meta = message.metadata;
  return (
    <div className="flex flex-col gap-1" data-testid="message-assistant" data-status={meta?.status}>
      {text ? <Markdown text={text} /> : null}
      {streaming && !text && <TypingDots />}
      {meta?.status === "error" && meta.errorMessage && <Notice kind="error">{meta.errorMessage}</Notice>}
      {meta?.status === "aborted" && (
        <Notice kind="stopped">{text ? "Stopped — the reply above is partial." : "Stopped before the reply started."}</Notice>
      )}
    </div>
  );
}

export function Notice({ kind, children }: { kind: "error" | "stopped"; children: React.ReactNode }) {
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
