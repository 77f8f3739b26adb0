"use client";

import { BrainIcon, ChevronRightIcon } from "lucide-react";
import { useState } from "react";
import { Markdown } from "@/components/markdown";
import { Collapsible, CollapsibleContent, CollapsibleTrigger } from "@/components/ui/collapsible";
import { cn } from "@/lib/utils";

function thoughtFor(ms: number | undefined): string {
  if (ms === undefined) return "Thinking";
  const seconds = Math.round(ms / 1000);
  return seconds < 1 ? "Thought for less than a second" : `Thought for ${seconds} s`;
}

/**
 * A reasoning model's thinking, above its answer: open while the model thinks ("Thinking…"),
 * collapsed once the answer begins ("Thought for N s"); the reader can open or close it any time.
 */
export function ReasoningBlock({
  reasoning,
  thinking,
  reasoningMs,
}: {
  reasoning: string;
  /** the model is still thinking: the answer has not begun */
  thinking: boolean;
  reasoningMs?: number;
}) {
  // Until the reader toggles it, the block follows the model: open while it thinks.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const open = chosen ?? thinking;
  return (
    <Collapsible open={open} onOpenChange={setChosen} data-testid="reasoning" data-thinking={thinking}>
      <CollapsibleTrigger
        className="group flex w-fit items-center gap-1.5 rounded-md py-0.5 pr-1 text-sm text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
        data-testid="reasoning-toggle"
      >
        <BrainIcon className={cn("size-4", thinking && "animate-pulse")} aria-hidden />
        {thinking ? <span className="animate-pulse">Thinking…</span> : <span>{thoughtFor(reasoningMs)}</span>}
        <ChevronRightIcon className="size-3.5 transition-transform group-data-[state=open]:rotate-90" aria-hidden />
      </CollapsibleTrigger>
      <CollapsibleContent
        className="mt-1 border-l-2 pl-3 text-muted-foreground [&_.prose-chat]:text-sm [&_.prose-chat]:leading-6"
        data-testid="reasoning-content"
      >
        <Markdown text={reasoning} streaming={thinking} />
      </CollapsibleContent>
    </Collapsible>
  );
}
