"use client";

import { ShieldCheckIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { ModelOption } from "@/lib/redpill/model-option";

export function TeeBadge() {
  return (
    <Badge variant="tee" title="Runs in a confidential-computing enclave (TEE)">
      <ShieldCheckIcon /> TEE
    </Badge>
  );
}

export function ModelPicker({
  models,
  value,
  onChange,
  disabled,
}: {
  models: ModelOption[];
  value: string | null;
  onChange: (id: string) => void;
  disabled?: boolean;
}) {
  return (
    <Select value={value ?? undefined} onValueChange={onChange} disabled={disabled || models.length === 0}>
      <SelectTrigger aria-label="Model" data-testid="model-picker" className="max-w-[70vw] sm:max-w-xs">
        <SelectValue placeholder="No models available" />
      </SelectTrigger>
      <SelectContent>
        {models.map((model) => (
          <SelectItem key={model.id} value={model.id} data-testid={`model-option-${model.id}`}>
            <span className="flex min-w-0 items-center gap-2">
              <span className="truncate">{model.name}</span>
              {model.isTee && <TeeBadge />}
            </span>
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
