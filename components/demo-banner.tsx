import { FlaskConicalIcon } from "lucide-react";

export function DemoBanner() {
  return (
    <div
      role="status"
      data-testid="demo-banner"
      className="flex shrink-0 items-center justify-center gap-2 bg-warning px-3 py-1.5 text-center text-xs font-medium text-warning-foreground sm:text-sm"
    >
      <FlaskConicalIcon className="size-4 shrink-0" />
      <span>Demo mode — replies are simulated. Set REDPILL_API_KEY to use RedPill.</span>
    </div>
  );
}
