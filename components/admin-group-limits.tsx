"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { setGroupLimitsAction } from "@/app/admin/groups/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** Requests and tokens per minute members of a group get unless they have their own. */
export function GroupLimitsForm({ groupId, rpm, tpm }: { groupId: string; rpm: number | null; tpm: number | null }) {
  const [pending, start] = useTransition();
  return (
    <form
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      action={(form) =>
        start(async () => {
          const result = await setGroupLimitsAction({
            groupId,
            rpm: String(form.get("rpm") ?? ""),
            tpm: String(form.get("tpm") ?? ""),
          });
          (result.ok ? toast.success : toast.error)(result.message);
        })
      }
    >
      <div className="grid gap-1.5">
        <Label htmlFor="group-rpm">Requests / minute</Label>
        <Input id="group-rpm" name="rpm" type="number" min={0} placeholder="No limit" defaultValue={rpm ?? ""} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="group-tpm">Tokens / minute</Label>
        <Input id="group-tpm" name="tpm" type="number" min={0} placeholder="No limit" defaultValue={tpm ?? ""} />
      </div>
      <Button type="submit" variant="outline" disabled={pending}>
        Save limits
      </Button>
    </form>
  );
}
