"use client";

import { SearchIcon, ShieldCheckIcon } from "lucide-react";
import { useMemo, useOptimistic, useState, useTransition } from "react";
import { toast } from "sonner";
import { bulkModelsAction, changeModelAction, type ActionResult } from "@/app/admin/models/actions";
import { AdminModelName } from "@/components/admin-model-name";
import { AdminModelSettings } from "@/components/admin-model-settings";
import { TeeBadge, VisionBadge } from "@/components/model-picker";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Switch } from "@/components/ui/switch";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatContext, formatPerMillion } from "@/lib/redpill/format";
import type { ModelOption } from "@/lib/redpill/model-option";
import { providerLabel } from "@/lib/redpill/providers";

export type AdminModelRow = ModelOption & { enabled: boolean };

const MODALITIES = { any: "Any input", image: "Image input", text: "Text only" } as const;
const STATUSES = { all: "Any status", enabled: "Enabled", disabled: "Disabled" } as const;
type Modality = keyof typeof MODALITIES;
type Status = keyof typeof STATUSES;
type Toggle = { ids: string[]; enabled: boolean };

function matches(model: AdminModelRow, terms: string[]): boolean {
  const haystack = `${model.name} ${model.catalogName} ${model.id}`.toLowerCase();
  return terms.every((term) => haystack.includes(term));
}

/** Admin → Models: search and filter the whole catalog, switch models one by one or in bulk. */
export function AdminModels({
  models,
  autoEnableNewModels,
  defaultModelId,
}: {
  models: AdminModelRow[];
  autoEnableNewModels: boolean;
  defaultModelId: string | null;
}) {
  const [rows, applyToggle] = useOptimistic(models, (state, { ids, enabled }: Toggle) =>
    state.map((m) => (ids.includes(m.id) ? { ...m, enabled } : m)),
  );
  const [query, setQuery] = useState("");
  const [provider, setProvider] = useState("all");
  const [modality, setModality] = useState<Modality>("any");
  const [status, setStatus] = useState<Status>("all");
  const [teeOnly, setTeeOnly] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, start] = useTransition();

  const providers = useMemo(() => {
    const counts = new Map<string, number>();
    for (const m of models) counts.set(m.provider, (counts.get(m.provider) ?? 0) + 1);
    return [...counts].sort((a, b) => providerLabel(a[0]).localeCompare(providerLabel(b[0])));
  }, [models]);

  const visible = useMemo(() => {
    const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    return rows.filter(
      (m) =>
        (provider === "all" || m.provider === provider) &&
        (!teeOnly || m.isTee) &&
        (modality === "any" || (modality === "image" ? m.vision : !m.vision)) &&
        (status === "all" || (status === "enabled") === m.enabled) &&
        matches(m, terms),
    );
  }, [rows, query, provider, teeOnly, modality, status]);

  const enabledCount = rows.filter((m) => m.enabled).length;
  const chosen = visible.filter((m) => selected.has(m.id));
  const allChosen = visible.length > 0 && chosen.length === visible.length;

  const toggle = (change: Toggle, action: () => Promise<ActionResult>, quiet = false) =>
    start(async () => {
      applyToggle(change);
      const result = await action();
      if (!result.ok || !quiet) (result.ok ? toast.success : toast.error)(result.message);
      if (result.ok && !quiet) setSelected(new Set());
    });

  const bulk = (enabled: boolean) => {
    const ids = chosen.map((m) => m.id);
    toggle({ ids, enabled }, () => bulkModelsAction({ ids, enabled }));
  };

  const select = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <div className="flex flex-col gap-4">
      <AdminModelSettings
        enabledModels={rows.filter((m) => m.enabled)}
        defaultModelId={defaultModelId}
        autoEnableNewModels={autoEnableNewModels}
      />

      <div className="flex flex-wrap items-center gap-2">
        <div className="relative min-w-0 flex-1 basis-full sm:basis-64">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder={`Search ${models.length} models by name or id`}
            aria-label="Search models"
            className="pl-8"
          />
        </div>
        <Select value={provider} onValueChange={setProvider}>
          <SelectTrigger aria-label="Provider" className="w-40">
            <SelectValue>{provider === "all" ? "All providers" : providerLabel(provider)}</SelectValue>
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">All providers</SelectItem>
            {providers.map(([slug, count]) => (
              <SelectItem key={slug} value={slug}>
                {providerLabel(slug)} ({count})
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={modality} onValueChange={(value) => setModality(value as Modality)}>
          <SelectTrigger aria-label="Input" className="w-36">
            <SelectValue>{MODALITIES[modality]}</SelectValue>
          </SelectTrigger>
          <SelectContent>
            {Object.entries(MODALITIES).map(([value, label]) => (
              <SelectItem key={value} value={value}>
                {label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={status} onValueChange={(value) => setStatus(value as Status)}>
          <SelectTrigger aria-label="Status" className="w-32">
            <SelectValue>{STATUSES[status]}</SelectValue>
          </SelectTrigger>
          <SelectContent>
            {Object.entries(STATUSES).map(([value, label]) => (
              <SelectItem key={value} value={value}>
                {label}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Button variant={teeOnly ? "secondary" : "outline"} aria-pressed={teeOnly} onClick={() => setTeeOnly(!teeOnly)}>
          <ShieldCheckIcon className={teeOnly ? "text-tee" : undefined} /> TEE only
        </Button>
      </div>

      <div className="flex min-h-9 flex-wrap items-center justify-between gap-2 text-sm" data-testid="models-summary">
        {chosen.length > 0 ? (
          <>
            <span className="font-medium">{chosen.length} selected</span>
            <div className="flex gap-2">
              <Button size="sm" disabled={pending} onClick={() => bulk(true)}>
                Enable {chosen.length}
              </Button>
              <Button size="sm" variant="outline" disabled={pending} onClick={() => bulk(false)}>
                Disable {chosen.length}
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
                Clear
              </Button>
            </div>
          </>
        ) : (
          <span className="text-muted-foreground">
            Showing {visible.length} of {rows.length} models · {enabledCount} enabled
          </span>
        )}
      </div>

      <Table>
        <TableHeader>
          <TableRow>
            <TableHead className="w-8">
              <Checkbox
                aria-label="Select all shown models"
                checked={allChosen ? true : chosen.length > 0 ? "indeterminate" : false}
                onCheckedChange={() => select(visible.map((m) => m.id), !allChosen)}
              />
            </TableHead>
            <TableHead>Model</TableHead>
            <TableHead className="hidden text-right md:table-cell">Context</TableHead>
            <TableHead className="hidden text-right md:table-cell">Prompt / 1M</TableHead>
            <TableHead className="hidden text-right md:table-cell">Completion / 1M</TableHead>
            <TableHead>Enabled</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {visible.map((model) => (
            <TableRow
              key={model.id}
              data-testid={`model-row-${model.id}`}
              data-state={selected.has(model.id) ? "selected" : undefined}
              className="data-[state=selected]:bg-muted/60"
            >
              <TableCell>
                <Checkbox
                  aria-label={`Select ${model.id}`}
                  checked={selected.has(model.id)}
                  onCheckedChange={(checked) => select([model.id], checked === true)}
                />
              </TableCell>
              <TableCell className="max-w-[55vw] whitespace-normal md:max-w-md">
                <div className="flex min-w-0 flex-wrap items-center gap-1.5">
                  <AdminModelName id={model.id} name={model.name} catalogName={model.catalogName} displayName={model.displayName} />
                  {model.isTee && <TeeBadge />}
                  {model.vision && <VisionBadge />}
                </div>
                <div className="truncate font-mono text-xs text-muted-foreground">{model.id}</div>
                <div className="text-xs text-muted-foreground tabular-nums md:hidden">
                  {formatContext(model.contextLength)} · {formatPerMillion(model.promptPrice)} /{" "}
                  {formatPerMillion(model.completionPrice)} per 1M
                </div>
              </TableCell>
              <TableCell className="hidden text-right tabular-nums md:table-cell">{formatContext(model.contextLength)}</TableCell>
              <TableCell className="hidden text-right tabular-nums md:table-cell">{formatPerMillion(model.promptPrice)}</TableCell>
              <TableCell className="hidden text-right tabular-nums md:table-cell">{formatPerMillion(model.completionPrice)}</TableCell>
              <TableCell>
                <Switch
                  checked={model.enabled}
                  aria-label={`Enable ${model.id}`}
                  onCheckedChange={(enabled) =>
                    toggle({ ids: [model.id], enabled }, () => changeModelAction({ id: model.id, change: { enabled } }), true)
                  }
                />
              </TableCell>
            </TableRow>
          ))}
          {visible.length === 0 && (
            <TableRow>
              <TableCell colSpan={6} className="py-8 text-center text-muted-foreground">
                No model matches these filters.
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </div>
  );
}
