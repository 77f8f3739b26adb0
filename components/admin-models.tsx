"use client";

import { RefreshCwIcon } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { refreshModelsAction, setModelEnabledAction } from "@/app/admin/models/actions";
import { Button } from "@/components/ui/button";

export function RefreshModelsButton() {
  const [pending, start] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={pending}
      onClick={() =>
        start(async () => {
          const result = await refreshModelsAction();
          (result.ok ? toast.success : toast.error)(result.message);
        })
      }
    >
      <RefreshCwIcon className={pending ? "animate-spin" : undefined} /> Refresh models
    </Button>
  );
}

export function ModelToggle({ id, enabled }: { id: string; enabled: boolean }) {
  const [pending, start] = useTransition();
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm">
      <input
        type="checkbox"
        className="size-4 accent-foreground"
        checked={enabled}
        disabled={pending}
        aria-label={`Enable ${id}`}
        onChange={(event) => {
          const next = event.target.checked;
          start(() => setModelEnabledAction({ id, enabled: next }));
        }}
      />
      {enabled ? "On" : "Off"}
    </label>
  );
}
