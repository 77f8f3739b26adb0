"use client";

import { PencilIcon } from "lucide-react";
import { useState, type KeyboardEvent } from "react";
import { CopyButton } from "@/components/copy-button";
import { MessageFiles } from "@/components/message-files";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { messageText, type ChatMessage } from "@/lib/chat/types";

/**
 * A user's message (its files, then its text), with Copy and Edit. Editing resends it, files
 * included: the edited message replaces the original, and the replies after it are answered
 * again (the chat is truncated, not branched).
 */
export function UserMessage({ message, onEdit }: { message: ChatMessage; onEdit?: (text: string) => void }) {
  const text = messageText(message);
  const [editing, setEditing] = useState(false);

  if (editing && onEdit) {
    return (
      <EditMessage
        initial={text}
        onCancel={() => setEditing(false)}
        onSave={(next) => {
          setEditing(false);
          onEdit(next);
        }}
      />
    );
  }
  return (
    <div className="group flex flex-col items-end gap-1" data-testid="user-turn">
      <div className="flex w-full flex-col items-end gap-2" data-testid="message-user">
        <MessageFiles message={message} />
        {text && (
          <div className="max-w-[85%] rounded-2xl bg-secondary px-4 py-2 text-[15px] leading-7 whitespace-pre-wrap">{text}</div>
        )}
      </div>
      <div className="flex items-center gap-1 text-muted-foreground opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 [@media(hover:none)]:opacity-100">
        <CopyButton text={() => text} className="hover:bg-accent hover:text-foreground" />
        {onEdit && (
          <Button
            variant="ghost"
            size="sm"
            className="h-7 px-1.5 text-xs"
            onClick={() => setEditing(true)}
            aria-label="Edit message"
            data-testid="edit-message"
          >
            <PencilIcon className="size-3.5" /> Edit
          </Button>
        )}
      </div>
    </div>
  );
}

function EditMessage({ initial, onSave, onCancel }: { initial: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const trimmed = text.trim();
  const save = () => trimmed && trimmed !== initial.trim() && onSave(trimmed);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    } else if (event.key === "Escape") {
      // Handled here, so the chat's Esc-stops listener does not see it.
      event.preventDefault();
      onCancel();
    }
  }

  return (
    <form
      className="ml-auto flex w-full max-w-[85%] flex-col gap-2 rounded-2xl bg-secondary p-3"
      data-testid="edit-form"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <Textarea
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        aria-label="Edit message"
        data-testid="edit-input"
        autoFocus
        onFocus={(event) => event.currentTarget.setSelectionRange(text.length, text.length)}
        className="max-h-72 min-h-16 resize-none border-0 bg-background [field-sizing:content]"
      />
      <p className="text-xs text-muted-foreground">Sending replaces this message and the replies after it.</p>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={!trimmed || trimmed === initial.trim()} data-testid="edit-send">
          Send
        </Button>
      </div>
    </form>
  );
}
