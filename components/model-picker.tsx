"use client";

import { CheckIcon, ChevronsUpDownIcon, EyeIcon, ShieldCheckIcon } from "lucide-react";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import { formatContext, formatPerMillion, withoutProviderPrefix } from "@/lib/redpill/format";
import type { ModelOption } from "@/lib/redpill/model-option";
import { providerLabel } from "@/lib/redpill/providers";
import { cn } from "@/lib/utils";

export function TeeBadge() {
  return (
    <Badge variant="tee" title="Runs in a confidential-computing enclave (TEE)">
      <ShieldCheckIcon className="size-3" /> TEE
    </Badge>
  );
}

export function VisionBadge() {
  return (
    <Badge variant="outline" className="text-muted-foreground" title="Reads images">
      <EyeIcon className="size-3" /> Vision
    </Badge>
  );
}

/** The picker shows the admin's display name as given; a catalog name loses its "Provider: " prefix. */
const shownName = (model: ModelOption) => (model.displayName ? model.name : withoutProviderPrefix(model.name));

function groupByProvider(models: ModelOption[]): { provider: string; models: ModelOption[] }[] {
  const groups = new Map<string, ModelOption[]>();
  for (const model of models) groups.set(model.provider, [...(groups.get(model.provider) ?? []), model]);
  // The server lists TEE models first, so providers with TEE models lead; the rest alphabetically.
  return [...groups]
    .map(([provider, list]) => ({ provider, models: list.sort((a, b) => shownName(a).localeCompare(shownName(b))) }))
    .sort(
      (a, b) =>
        Number(b.models.some((m) => m.isTee)) - Number(a.models.some((m) => m.isTee)) ||
        providerLabel(a.provider).localeCompare(providerLabel(b.provider)),
    );
}

/** A searchable command menu of the models this user may use, grouped by provider. */
export function ModelPicker({
  models,
  value,
  onChange,
  disabled,
  label = "Model",
  placeholder = "No models available",
  testId = "model-picker",
}: {
  models: ModelOption[];
  value: string | null;
  onChange: (id: string) => void;
  disabled?: boolean;
  label?: string;
  placeholder?: string;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const selected = models.find((m) => m.id === value);
  const groups = useMemo(() => groupByProvider(models), [models]);

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="outline"
          role="combobox"
          aria-expanded={open}
          aria-label={label}
          data-testid={testId}
          disabled={disabled || models.length === 0}
          className="h-9 max-w-[70vw] justify-between gap-2 px-3 font-normal sm:max-w-xs"
        >
          <span className="flex min-w-0 items-center gap-2">
            <span className={cn("truncate", !selected && "text-muted-foreground")}>
              {selected ? shownName(selected) : placeholder}
            </span>
            {selected?.isTee && <TeeBadge />}
          </span>
          <ChevronsUpDownIcon className="size-4 shrink-0 opacity-50" />
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start" className="w-[min(30rem,calc(100vw-1.5rem))] p-0" data-testid="model-menu">
        <Command label="Find a model">
          <CommandInput placeholder={`Search ${models.length} models…`} />
          <CommandList className="max-h-[min(26rem,calc(var(--radix-popover-content-available-height)-3rem))]">
            <CommandEmpty>No model matches.</CommandEmpty>
            {groups.map((group) => (
              <CommandGroup key={group.provider} heading={providerLabel(group.provider)}>
                {group.models.map((model) => (
                  <CommandItem
                    key={model.id}
                    value={model.id}
                    keywords={[model.name, model.catalogName, providerLabel(model.provider), ...(model.isTee ? ["tee"] : []), ...(model.vision ? ["vision", "image"] : [])]}
                    data-testid={`model-option-${model.id}`}
                    onSelect={() => {
                      onChange(model.id);
                      setOpen(false);
                    }}
                    className="items-start"
                  >
                    <CheckIcon className={cn("mt-0.5", model.id === value ? "opacity-100" : "opacity-0")} />
                    <div className="flex min-w-0 flex-1 flex-col gap-0.5">
                      <span className="flex min-w-0 flex-wrap items-center gap-1.5">
                        <span className="truncate font-medium">{shownName(model)}</span>
                        {model.isTee && <TeeBadge />}
                        {model.vision && <VisionBadge />}
                      </span>
                      <span className="text-xs text-muted-foreground tabular-nums">
                        {formatContext(model.contextLength)} context · {formatPerMillion(model.promptPrice)} in /{" "}
                        {formatPerMillion(model.completionPrice)} out per 1M tokens
                      </span>
                    </div>
                  </CommandItem>
                ))}
              </CommandGroup>
            ))}
          </CommandList>
        </Command>
      </PopoverContent>
    </Popover>
  );
}
