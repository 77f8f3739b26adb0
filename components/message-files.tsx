import type { FileUIPart } from "ai";
import { FileTextIcon } from "lucide-react";
import type { ChatMessage } from "@/lib/chat/types";

const filesOf = (message: ChatMessage) => message.parts.filter((part): part is FileUIPart => part.type === "file");

/**
 * A user message's files: images as thumbnails (a click opens the full image), text files as
 * chips that download them. Stored files come from /api/uploads (Pillbox itself, so the CSP lets
 * them load); a message still being sent shows its data: URLs.
 */
export function MessageFiles({ message }: { message: ChatMessage }) {
  const files = filesOf(message);
  if (files.length === 0) return null;
  return (
    <ul className="flex max-w-[85%] flex-wrap justify-end gap-2" aria-label="Attached files" data-testid="message-files">
      {files.map((file, index) => {
        const name = file.filename ?? (file.mediaType.startsWith("image/") ? "image" : "file");
        return (
          <li key={`${file.url.slice(0, 80)}-${index}`}>
            {file.mediaType.startsWith("image/") ? (
              // A data: URL (a message still being sent) cannot be opened in a tab: only stored images link.
              <a href={file.url.startsWith("data:") ? undefined : file.url} target="_blank" rel="noopener" title={name} className="block">
                {/* eslint-disable-next-line @next/next/no-img-element -- the user's own upload, served as it is */}
                <img
                  src={file.url}
                  alt={name}
                  loading="lazy"
                  data-testid="message-image"
                  className="max-h-48 max-w-60 rounded-xl border object-contain"
                />
              </a>
            ) : (
              <a
                href={file.url}
                download={name}
                data-testid="message-file"
                className="flex items-center gap-2 rounded-xl border bg-muted/50 px-3 py-2 text-sm hover:bg-muted"
              >
                <FileTextIcon className="size-4 shrink-0 text-muted-foreground" />
                <span className="max-w-48 truncate">{name}</span>
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
