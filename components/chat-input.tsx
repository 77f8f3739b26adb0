"use client";

import { ArrowUpIcon, SquareIcon } from "lucide-react";
import { useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

export function ChatInput({
  busy,
  disabled,
  onSend,
  onStop,
}: {
  busy: boolean;
  disabled: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState("");
  const ref = useRef<HTMLTextAreaElement>(null);

  function send() {
    const trimmed = text.trim();
    if (!trimmed || busy || disabled) return;
    onSend(trimmed);
    setText("");
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
        onChange={(event) => setText(event.target.value)}
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
