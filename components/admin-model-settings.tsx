"use client";

import { XIcon } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { modelSettingsAction, type ActionResult } from "@/app/admin/models/actions";
import { ModelPicker } from "@/components/model-picker";
import { Button } from "@/components/ui/button";
import { Switch } from "@/components/ui/switch";
import type { ModelOption } from "@/lib/redpill/model-option";

/** The two workspace settings about models: the default for new chats, and auto-enabling new ones. */
export function AdminModelSettings({
  enabledModels,
  defaultModelId,
  autoEnableNewModels,
}: {
  enabledModels: ModelOption[];
  defaultModelId: string | null;
  autoEnableNewModels: boolean;
}) {
  const [pending, start] = useTransition();
  const save = (change: Parameters<typeof modelSettingsAction>[0]) =>
    start(async () => {
      const result: ActionResult = await modelSettingsAction(change);
      (result.ok ? toast.success : toast.error)(result.message);
    });
  const defaultIsOff = defaultModelId !== null && !enabledModels.some((m) => m.id === defaultModelId);

  return (
    <div className="grid gap-4 rounded-lg border p-4 sm:grid-cols-2">
      <div className="flex min-w-0 flex-col gap-1.5">
        <span className="text-sm font-medium" id="default-model-label">
          Default model for new chats
        </span>
        <div className="flex min-w-0 items-center gap-2">
          <ModelPicker
            models={enabledModels}
            value={defaultModelId}
            onChange={(id) => save({ defaultModelId: id })}
            disabled={pending}
            label="Default model for new chats"
            placeholder="First model a user may use"
            testId="default-model-picker"
          />
          {defaultModelId && (
            <Button
              variant="ghost"
              size="icon"
              aria-label="Clear the default model"
              disabled={pending}
              onClick={() => save({ defaultModelId: null })}
            >
              <XIcon />
            </Button>
          )}
        </div>
        <p className="text-xs text-muted-foreground">
          {defaultIsOff
            ? `"${defaultModelId}" is disabled, so new chats start with the first model a user may use.`
            : "Used when the user may use it and has not picked a model before."}
        </p>
      </div>
      <div className="flex items-start justify-between gap-4 sm:justify-start">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="auto-enable" className="text-sm font-medium">
            Enable new models automatically
          </label>
          <p className="text-xs text-muted-foreground">
            Off: models that appear in a later catalog sync start disabled, so a new expensive model does not open
            to everyone unseen.
          </p>
        </div>
        <Switch
          id="auto-enable"
          checked={autoEnableNewModels}
          disabled={pending}
          onCheckedChange={(checked) => save({ autoEnableNewModels: checked })}
          className="mt-0.5 sm:order-first"
        />
      </div>
    </div>
  );
}
