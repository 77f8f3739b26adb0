"use client";

import { RefreshCwIcon } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { refreshModelsAction } from "@/app/admin/models/actions";
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
