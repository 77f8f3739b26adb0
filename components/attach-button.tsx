"use client";

import { PaperclipIcon } from "lucide-react";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import { IMAGE_TYPES } from "@/lib/attachments/kinds";

/** What the file picker offers: the images and text files Pillbox takes (anything else is refused with a reason). */
const ACCEPT = [...IMAGE_TYPES, "text/*", ".md", ".csv", ".json", ".ts", ".tsx", ".py", ".go", ".rs", ".java", ".c", ".cpp", ".sh", ".sql", ".yaml", ".yml"].join(",");

/** The paperclip: opens the file picker and hands over what was chosen. */
export function AttachButton({ disabled, onFiles }: { disabled: boolean; onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        hidden
        data-testid="attach-input"
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          event.target.value = "";
        }}
      />
      <Button
        type="button"
        variant="ghost"
        size="icon"
        disabled={disabled}
        onClick={() => input.current?.click()}
        aria-label="Attach files"
        title="Attach images or text files"
        data-testid="attach"
        className="rounded-full text-muted-foreground"
      >
        <PaperclipIcon />
      </Button>
    </>
  );
}
