"use client";

import { CopyButton } from "@/components/copy-button";
import { Input } from "@/components/ui/input";

/** A freshly made one-time link, shown once with a copy button. */
export function OneTimeLink({ url, label }: { url: string; label: string }) {
  return (
    <div className="flex flex-col gap-1.5 rounded-md border border-dashed p-3">
      <span className="text-xs text-muted-foreground">{label}</span>
      <div className="flex items-center gap-2">
        <Input readOnly value={url} aria-label={label} data-testid="one-time-link" onFocus={(e) => e.currentTarget.select()} className="font-mono text-xs" />
        <CopyButton text={() => url} label="Copy link" className="shrink-0 border" />
      </div>
    </div>
  );
}
