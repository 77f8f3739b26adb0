"use client";

import { XIcon } from "lucide-react";
import { useTransition } from "react";
import { toast } from "sonner";
import { saveTitleModelAction } from "@/app/admin/settings/actions";
import { ModelPicker } from "@/components/model-picker";
import { Button } from "@/components/ui/button";
import type { ModelOption } from "@/lib/redpill/model-option";

/** The workspace's title model: a cheap model that names each chat after its first exchange. */
export function TitleModelForm({ enabledModels, titleModelId }: { enabledModels: ModelOption[]; titleModelId: string | null }) {
  const [pending, start] = useTransition();
  const save = (id: string | null) =>
    start(async () => {
      const result = await saveTitleModelAction(id);
      (result.ok ? toast.success : toast.error)(result.message);
    });
  const isOff = titleModelId !== null && !enabledModels.some((m) => m.id === titleModelId);

  return (
    <div className="flex max-w-xl flex-col gap-1.5" data-testid="title-model-form">
      <div className="flex min-w-0 items-center gap-2">
        <ModelPicker
          models={enabledModels}
          value={titleModelId}
          onChange={save}
          disabled={pending}
          label="Title model"
          placeholder="None: the first words"
          testId="title-model-picker"
        />
        {titleModelId && (
          <Button variant="ghost" size="icon" aria-label="Stop naming chats with a model" disabled={pending} onClick={() => save(null)}>
            <XIcon />
          </Button>
        )}
      </div>
      <p className="text-xs text-muted-foreground">
        {isOff
          ? `"${titleModelId}" is disabled, so chats keep their first words as titles.`
          : "Pick a cheap model without reasoning. Each title is one short call, billed to the member like their chat; a member who may not use the model, or whose budget is spent, gets the first words."}
      </p>
    </div>
  );
}
