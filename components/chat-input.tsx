"use client";

import { ArrowUpIcon, SquareIcon } from "lucide-react";
import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from "react";
import { AttachButton } from "@/components/attach-button";
import { AttachmentTray } from "@/components/attachment-tray";
import type { Attachments } from "@/components/use-attachments";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

const draftStorageKey = (chatId: string) => `pillbox:draft:${chatId}`;

export function ChatInput({
  chatId,
  busy,
  disabled,
  onSend,
  onStop,
  attachments,
}: {
  /** the draft is kept per chat in the tab's session storage: it survives a reload or a remount */
  chatId: string;
  busy: boolean;
  disabled: boolean;
  /** false: the message was not sent (the text stays) */
  onSend: (text: string) => boolean | void;
  onStop: () => void;
  /** files going with the next message (the paperclip, paste; drops land on the whole chat) */
  attachments?: Attachments;
}) {
  const [text, setText] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);

  // Restored after hydration: the server renders an empty input, and so must the first client render.
  useEffect(() => {
    const draft = sessionStorage.getItem(draftStorageKey(chatId));
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reading an external store once, after hydration
    if (draft) setText(draft);
  }, [chatId]);

  function change(next: string) {
    setText(next);
    if (next) sessionStorage.setItem(draftStorageKey(chatId), next);
    else sessionStorage.removeItem(draftStorageKey(chatId));
  }

  function send() {
    const trimmed = text.trim();
    if ((!trimmed && !attachments?.pending.length) || busy || disabled) return;
    if (onSend(trimmed) === false) return;
    change("");
    ref.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line; never send while an IME is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  // A pasted image (a screenshot) is attached; pasted text stays text, even when an image comes with it.
  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (!attachments || files.length === 0 || event.clipboardData.types.includes("text/plain")) return;
    event.preventDefault();
    attachments.add(files);
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="relative flex flex-wrap items-end gap-2 rounded-2xl border bg-background p-2 shadow-sm focus-within:ring-[3px] focus-within:ring-ring/30"
    >
      {attachments && <AttachmentTray pending={attachments.pending} problem={attachments.problem} onRemove={attachments.remove} />}
      {attachments && <AttachButton disabled={disabled || busy} onFiles={attachments.add} />}
      <Textarea
        ref={ref}
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        placeholder={disabled ? "No model is available yet. Ask an admin." : "Message Pillbox…"}
        aria-label="Message"
        data-testid="chat-input"
        rows={1}
        disabled={disabled}
        autoFocus
        className="max-h-48 min-h-10 min-w-0 flex-1 resize-none border-0 shadow-none [field-sizing:content] focus-visible:ring-0"
      />
      {busy ? (
        <Button type="button" size="icon" onClick={onStop} aria-label="Stop" data-testid="stop" className="rounded-full">
          <SquareIcon className="fill-current" />
        </Button>
      ) : (
        <Button
          type="submit"
          size="icon"
          disabled={disabled || (!text.trim() && !attachments?.pending.length)}
          aria-label="Send"
          data-testid="send"
          className="rounded-full"
        >
          <ArrowUpIcon />
        </Button>
      )}
    </form>
  );
}
