"use client";

import { ArrowUpIcon, SquareIcon } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

const draftStorageKey = (chatId: string) => `pillbox:draft:${chatId}`;

export function ChatInput({
  chatId,
  busy,
  disabled,
  onSend,
  onStop,
}: {
  /** the draft is kept per chat in the tab's session storage: it survives a reload or a remount */
  chatId: string;
  busy: boolean;
  disabled: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
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
    if (!trimmed || busy || disabled) return;
    onSend(trimmed);
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

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="relative flex items-end gap-2 rounded-2xl border bg-background p-2 shadow-sm focus-within:ring-[3px] focus-within:ring-ring/30"
    >
      <Textarea
        ref={ref}
        value={text}
        onChange={(event) => change(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder={disabled ? "No model is available yet. Ask an admin." : "Message Pillbox…"}
        aria-label="Message"
        data-testid="chat-input"
        rows={1}
        disabled={disabled}
        autoFocus
        className="max-h-48 min-h-10 resize-none border-0 shadow-none [field-sizing:content] focus-visible:ring-0"
      />
      {busy ? (
        <Button type="button" size="icon" onClick={onStop} aria-label="Stop" data-testid="stop" className="rounded-full">
          <SquareIcon className="fill-current" />
        </Button>
      ) : (
        <Button
          type="submit"
          size="icon"
          disabled={disabled || !text.trim()}
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
