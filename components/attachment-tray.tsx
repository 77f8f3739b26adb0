"use client";

import { FileTextIcon, XIcon } from "lucide-react";
import type { PendingFile } from "@/components/use-attachments";
import { formatBytes } from "@/lib/attachments/kinds";

/** The files waiting to go with the next message, each with a remove button, and why one was refused. */
export function AttachmentTray({
  pending,
  problem,
  onRemove,
}: {
  pending: PendingFile[];
  problem: string | null;
  onRemove: (id: string) => void;
}) {
  if (pending.length === 0 && !problem) return null;
  return (
    <div className="flex basis-full flex-col gap-2 px-1 pt-1">
      {pending.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label="Attached files" data-testid="pending-attachments">
          {pending.map((p) => (
            <li key={p.id} className="group relative" data-testid="pending-attachment">
              {p.preview ? (
                // eslint-disable-next-line @next/next/no-img-element -- a local object URL, nothing to optimise
                <img src={p.preview} alt={p.file.name} className="size-16 rounded-lg border object-cover" />
              ) : (
                <div className="flex h-16 max-w-48 items-center gap-2 rounded-lg border bg-muted/50 px-3 text-sm">
                  <FileTextIcon className="size-5 shrink-0 text-muted-foreground" />
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{p.file.name}</span>
                    <span className="block text-xs text-muted-foreground">{formatBytes(p.file.size)}</span>
                  </span>
                </div>
              )}
              <button
                type="button"
                onClick={() => onRemove(p.id)}
                aria-label={`Remove ${p.file.name}`}
                className="absolute -top-1.5 -right-1.5 flex size-5 items-center justify-center rounded-full border bg-background text-muted-foreground shadow-sm hover:text-foreground"
              >
                <XIcon className="size-3" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p role="alert" data-testid="attachment-problem" className="text-sm text-destructive">
          {problem}
        </p>
      )}
    </div>
  );
}
