"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { setGroupLimitsAction } from "@/app/admin/groups/actions";
import { setUserLimitsAction } from "@/app/admin/users/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

type Target = { kind: "group"; groupId: string } | { kind: "user"; userId: string };

const save = (target: Target, limits: { rpm: string; tpm: string }) =>
  target.kind === "group"
    ? setGroupLimitsAction({ groupId: target.groupId, ...limits })
    : setUserLimitsAction({ userId: target.userId, ...limits });

/**
 * Requests and tokens per minute: a group's defaults for its members, or one user's own override.
 * Empty means none from here (a group sets no limit; a user gets their most generous group's).
 */
export function LimitsForm({
  target,
  rpm,
  tpm,
  emptyLabel,
}: {
  target: Target;
  rpm: number | null;
  tpm: number | null;
  /** what an empty field means, shown as its placeholder */
  emptyLabel: string;
}) {
  const [pending, start] = useTransition();
  return (
    <form
      className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end"
      action={(form) =>
        start(async () => {
          const result = await save(target, { rpm: String(form.get("rpm") ?? ""), tpm: String(form.get("tpm") ?? "") });
          (result.ok ? toast.success : toast.error)(result.message);
        })
      }
    >
      <div className="grid gap-1.5">
        <Label htmlFor={`${target.kind}-rpm`}>Requests / minute</Label>
        <Input id={`${target.kind}-rpm`} name="rpm" type="number" min={0} placeholder={emptyLabel} defaultValue={rpm ?? ""} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${target.kind}-tpm`}>Tokens / minute</Label>
        <Input id={`${target.kind}-tpm`} name="tpm" type="number" min={0} placeholder={emptyLabel} defaultValue={tpm ?? ""} />
      </div>
      <Button type="submit" variant="outline" disabled={pending}>
        Save limits
      </Button>
    </form>
  );
}
