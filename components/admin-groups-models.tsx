"use client";

import { SearchIcon } from "lucide-react";
import { useMemo, useState, useTransition } from "react";
import { toast } from "sonner";
import { setGroupModelsAction } from "@/app/admin/groups/actions";
import { TeeBadge } from "@/components/model-picker";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { Switch } from "@/components/ui/switch";

export interface CatalogModel {
  id: string;
  name: string;
  isTee: boolean;
  enabled: boolean;
}

type Mode = "all" | "list";

const providerOf = (id: string) => (id.includes("/") ? id.slice(0, id.indexOf("/")) : "other");

function groupByProvider(models: CatalogModel[]): [string, CatalogModel[]][] {
  const byProvider = new Map<string, CatalogModel[]>();
  for (const model of models) {
    const provider = providerOf(model.id);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), model]);
  }
  return [...byProvider].sort(([a], [b]) => a.localeCompare(b));
}

const sameSet = (a: Set<string>, b: string[]) => a.size === b.length && b.every((id) => a.has(id));

/** "All enabled models" or an explicit list from the catalog, optionally narrowed to TEE models. */
export function GroupModelsEditor({
  groupId,
  catalog,
  modelIds,
  teeOnly: savedTeeOnly,
}: {
  groupId: string;
  catalog: CatalogModel[];
  modelIds: string[] | null;
  teeOnly: boolean;
}) {
  const [mode, setMode] = useState<Mode>(modelIds === null ? "all" : "list");
  const [selected, setSelected] = useState(() => new Set(modelIds ?? []));
  const [teeOnly, setTeeOnly] = useState(savedTeeOnly);
  const [query, setQuery] = useState("");
  const [pending, start] = useTransition();

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? catalog.filter((m) => m.id.toLowerCase().includes(q) || m.name.toLowerCase().includes(q)) : catalog;
  }, [catalog, query]);
  const providers = useMemo(() => groupByProvider(shown), [shown]);

  const usable = catalog.filter((m) => m.enabled && (mode === "all" || selected.has(m.id)) && (!teeOnly || m.isTee));
  const enabledCount = catalog.filter((m) => m.enabled).length;
  const dirty =
    teeOnly !== savedTeeOnly || (mode === "all") !== (modelIds === null) || (mode === "list" && !sameSet(selected, modelIds ?? []));

  const toggle = (ids: string[], on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  const save = () =>
    start(async () => {
      const result = await setGroupModelsAction({ groupId, modelIds: mode === "all" ? null : [...selected], teeOnly });
      (result.ok ? toast.success : toast.error)(result.message);
    });

  return (
    <div className="flex flex-col gap-4" data-testid="group-models-editor">
      <RadioGroup value={mode} onValueChange={(value) => setMode(value as Mode)} aria-label="Which models">
        <div className="flex items-start gap-3">
          <RadioGroupItem value="all" id="models-all" className="mt-0.5" />
          <div className="grid gap-1">
            <Label htmlFor="models-all">All enabled models</Label>
            <p className="text-xs text-muted-foreground">Includes models an admin enables later.</p>
          </div>
        </div>
        <div className="flex items-start gap-3">
          <RadioGroupItem value="list" id="models-list" className="mt-0.5" />
          <div className="grid gap-1">
            <Label htmlFor="models-list">Only these models</Label>
            <p className="text-xs text-muted-foreground">Pick from the catalog below ({selected.size} selected).</p>
          </div>
        </div>
      </RadioGroup>

      <div className="flex items-center gap-3 rounded-md border p-3">
        <Switch id="tee-only" checked={teeOnly} onCheckedChange={setTeeOnly} />
        <div className="grid gap-1">
          <Label htmlFor="tee-only">TEE models only</Label>
          <p className="text-xs text-muted-foreground">Narrows the choice above to models running in confidential-computing enclaves.</p>
        </div>
      </div>

      {mode === "list" && (
        <div className="flex flex-col gap-2">
          <div className="flex flex-wrap items-center gap-2">
            <div className="relative min-w-48 flex-1">
              <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" />
              <Input
                aria-label="Search models"
                placeholder="Search models"
                className="pl-8"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
              />
            </div>
            <Button variant="outline" size="sm" onClick={() => toggle(shown.map((m) => m.id), true)}>
              Select shown
            </Button>
            <Button variant="outline" size="sm" onClick={() => toggle(shown.map((m) => m.id), false)}>
              Clear shown
            </Button>
          </div>
          <div className="max-h-[28rem] overflow-y-auto rounded-md border" data-testid="model-checklist">
            {providers.length === 0 && <p className="p-4 text-center text-sm text-muted-foreground">No model matches.</p>}
            {providers.map(([provider, models]) => {
              const count = models.filter((m) => selected.has(m.id)).length;
              return (
                <section key={provider} className="border-b last:border-0">
                  <label className="sticky top-0 z-10 flex cursor-pointer items-center gap-2 bg-muted px-3 py-1.5 text-xs font-medium">
                    <Checkbox
                      aria-label={`All ${provider} models`}
                      checked={count === 0 ? false : count === models.length ? true : "indeterminate"}
                      onCheckedChange={(checked) => toggle(models.map((m) => m.id), checked === true)}
                    />
                    <span>{provider}</span>
                    <span className="ml-auto text-muted-foreground tabular-nums">
                      {count}/{models.length}
                    </span>
                  </label>
                  <ul>
                    {models.map((model) => (
                      <li key={model.id}>
                        <label className="flex cursor-pointer items-center gap-3 px-3 py-1.5 hover:bg-muted/40">
                          <Checkbox
                            data-testid={`group-model-${model.id}`}
                            checked={selected.has(model.id)}
                            onCheckedChange={(checked) => toggle([model.id], checked === true)}
                          />
                          <span className="min-w-0 flex-1">
                            <span className="block truncate text-sm">{model.name}</span>
                            <span className="block truncate font-mono text-xs text-muted-foreground">{model.id}</span>
                          </span>
                          {model.isTee && <TeeBadge />}
                          {!model.enabled && <Badge variant="outline">off</Badge>}
                        </label>
                      </li>
                    ))}
                  </ul>
                </section>
              );
            })}
          </div>
        </div>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-muted-foreground" data-testid="group-models-effect">
          Allows {usable.length} of {enabledCount} enabled model{enabledCount === 1 ? "" : "s"} today.
        </p>
        <Button onClick={save} disabled={!dirty || pending} data-testid="save-group-models">
          {pending ? "Saving…" : "Save models"}
        </Button>
      </div>
    </div>
  );
}
