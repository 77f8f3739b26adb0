"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { setGroupApiAccessAction } from "@/app/admin/groups/actions";
import { Switch } from "@/components/ui/switch";

/** A group's API access: off refuses its members' personal API keys on their next request. */
export function GroupApiAccess({ groupId, apiAccess, builtin }: { groupId: string; apiAccess: boolean; builtin: boolean }) {
  const [on, setOn] = useState(apiAccess);
  const [pending, start] = useTransition();
  const save = (checked: boolean) =>
    start(async () => {
      const result = await setGroupApiAccessAction({ groupId, apiAccess: checked });
      if (result.ok) setOn(checked);
      (result.ok ? toast.success : toast.error)(result.message);
    });
  return (
    <div className="flex items-start gap-4">
      <Switch id="api-access" checked={on} disabled={pending} onCheckedChange={save} className="mt-0.5" />
      <div className="flex flex-col gap-1.5">
        <label htmlFor="api-access" className="text-sm font-medium">
          Personal API keys
        </label>
        <p className="text-xs text-muted-foreground">
          {builtin
            ? "Off: nobody may use the OpenAI-compatible API, admins included."
            : "Off: members of this group may not use the OpenAI-compatible API, whatever their other groups allow."}{" "}
          Their keys stay, and work again once it is back on.
        </p>
      </div>
    </div>
  );
}
