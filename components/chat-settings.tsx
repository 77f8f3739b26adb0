"use client";

import { SlidersHorizontalIcon } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Sheet, SheetContent, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { Textarea } from "@/components/ui/textarea";
import { chatSettingsSchema, compactSettings, type ChatSettings } from "@/lib/chat/settings";

type NumberKey = Exclude<keyof ChatSettings, "system">;

const NUMBER_FIELDS: { key: NumberKey; label: string; min: number; max: number; step: string; hint: string }[] = [
  { key: "temperature", label: "Temperature", min: 0, max: 2, step: "0.1", hint: "0–2: higher is more varied" },
  { key: "topP", label: "Top P", min: 0, max: 1, step: "0.05", hint: "0–1: nucleus sampling" },
  { key: "maxOutputTokens", label: "Max output tokens", min: 1, max: 1_000_000, step: "1", hint: "longest reply" },
  { key: "presencePenalty", label: "Presence penalty", min: -2, max: 2, step: "0.1", hint: "−2 to 2: new topics" },
  { key: "frequencyPenalty", label: "Frequency penalty", min: -2, max: 2, step: "0.1", hint: "−2 to 2: less repetition" },
];

/** The form's text as settings (an empty field is "use the default"), or the first problem. */
export function readChatSettingsForm(form: FormData): { settings: ChatSettings } | { error: string } {
  const raw: Record<string, string | number> = {};
  const system = String(form.get("system") ?? "").trim();
  if (system) raw.system = system;
  for (const { key } of NUMBER_FIELDS) {
    const text = String(form.get(key) ?? "").trim();
    if (text) raw[key] = Number(text);
  }
  const parsed = chatSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = NUMBER_FIELDS.find((f) => f.key === issue?.path[0]);
    return { error: `${field?.label ?? "System prompt"}: ${field ? `use ${field.hint.split(":")[0]}` : issue?.message}` };
  }
  return { settings: compactSettings(parsed.data) };
}

/**
 * The chat's model settings in a side panel: a system prompt, temperature, top P, max output tokens
 * and penalties. Empty fields show (and use) the workspace defaults.
 */
export function ChatSettingsPanel({
  settings,
  defaults,
  disabled,
  onSave,
}: {
  settings: ChatSettings;
  defaults: ChatSettings;
  disabled?: boolean;
  /** resolves to an error message, or null when saved */
  onSave: (next: ChatSettings) => Promise<string | null>;
}) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const custom = Object.keys(settings).length;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const read = readChatSettingsForm(new FormData(event.currentTarget));
    if ("error" in read) return setError(read.error);
    setSaving(true);
    const failure = await onSave(read.settings);
    setSaving(false);
    setError(failure);
    if (!failure) setOpen(false);
  }

  return (
    <Sheet open={open} onOpenChange={(next) => (setOpen(next), setError(null))}>
      <SheetTrigger asChild>
        <Button variant="ghost" size="sm" disabled={disabled} data-testid="chat-settings" aria-label="Chat settings">
          <SlidersHorizontalIcon />
          <span className="max-sm:hidden">Settings</span>
          {custom > 0 && <span className="rounded bg-muted px-1 text-xs tabular-nums">{custom}</span>}
        </Button>
      </SheetTrigger>
      <SheetContent className="right-0 left-auto w-96 overflow-y-auto bg-background" aria-describedby={undefined}>
        <form className="flex flex-col gap-4 p-5" noValidate onSubmit={(event) => void submit(event)}>
          <SheetTitle className="text-base font-semibold">Chat settings</SheetTitle>
          <p className="-mt-2 text-sm text-muted-foreground">For this chat only. Empty fields use the workspace defaults.</p>
          <ChatSettingsFields settings={settings} defaults={defaults} />
          {error && (
            <p role="alert" className="text-sm text-destructive">
              {error}
            </p>
          )}
          <Button type="submit" disabled={saving}>
            Save settings
          </Button>
        </form>
      </SheetContent>
    </Sheet>
  );
}

/** The settings' fields; empty ones show the defaults as placeholders. Read with readChatSettingsForm. */
export function ChatSettingsFields({ settings, defaults }: { settings: ChatSettings; defaults: ChatSettings }) {
  return (
    <>
      <div className="grid gap-1.5">
        <Label htmlFor="chat-system">System prompt</Label>
        <Textarea
          id="chat-system"
          name="system"
          rows={5}
          defaultValue={settings.system ?? ""}
          placeholder={defaults.system ?? "None"}
        />
      </div>
      <div className="grid grid-cols-2 gap-3">
        {NUMBER_FIELDS.map((field) => (
          <div key={field.key} className="grid gap-1.5">
            <Label htmlFor={`chat-${field.key}`}>{field.label}</Label>
            <Input
              id={`chat-${field.key}`}
              name={field.key}
              type="number"
              inputMode="decimal"
              min={field.min}
              max={field.max}
              step={field.step}
              defaultValue={settings[field.key] ?? ""}
              placeholder={defaults[field.key]?.toString() ?? "Default"}
              aria-describedby={`chat-${field.key}-hint`}
            />
            <span id={`chat-${field.key}-hint`} className="text-xs text-muted-foreground">
              {field.hint}
            </span>
          </div>
        ))}
      </div>
    </>
  );
}
