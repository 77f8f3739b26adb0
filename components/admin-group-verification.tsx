"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { setGroupVerificationAction } from "@/app/admin/groups/actions";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";

/** The group's "require verified replies" policy, saved as it is switched. */
export function GroupVerificationPolicy({ groupId, requireVerified }: { groupId: string; requireVerified: boolean }) {
  const [on, setOn] = useState(requireVerified);
  const [pending, start] = useTransition();
  const change = (next: boolean) =>
    start(async () => {
      setOn(next);
      const result = await setGroupVerificationAction({ groupId, requireVerified: next });
      if (!result.ok) setOn(!next);
      (result.ok ? toast.success : toast.error)(result.message);
    });
  return (
    <div className="flex items-start gap-3">
      <Switch id="require-verified" checked={on} disabled={pending} onCheckedChange={change} data-testid="require-verified" className="mt-0.5" />
      <div className="grid gap-1">
        <Label htmlFor="require-verified">Require verified replies</Label>
        <p className="text-xs text-muted-foreground">
          A member&apos;s reply from a TEE model that fails enclave verification is flagged in the chat and recorded in the
          audit log. Replies from other models cannot be verified: turn on &ldquo;TEE models only&rdquo; to allow none.
        </p>
      </div>
    </div>
  );
}
