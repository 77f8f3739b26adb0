"use client";

import { KeyRoundIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { CopyButton } from "@/components/copy-button";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { requestJson } from "@/lib/chat/client-fetch";
import type { PublicKey } from "@/lib/keys/manage";

const EXPIRY_CHOICES = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In a year" },
];

/** Dates as UTC text: the same on the server's render and in the browser. */
export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");
export const minute = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : "Never");

function NewSecret({ secret, name, onDone }: { secret: string; name: string; onDone: () => void }) {
  return (
    <div className="flex flex-col gap-2 rounded-md border border-dashed border-primary/50 p-3" data-testid="new-key">
      <p className="text-sm font-medium">Your new key “{name}”</p>
      <div className="flex items-center gap-2">
        <Input
          readOnly
          value={secret}
          aria-label="New API key"
          data-testid="new-key-secret"
          onFocus={(e) => e.currentTarget.select()}
          className="font-mono text-xs"
        />
        <CopyButton text={() => secret} label="Copy key" className="shrink-0 border" />
      </div>
      <p className="text-xs text-muted-foreground">
        Copy it now: this is the only time Pillbox shows it. Only a hash of it is stored.
      </p>
      <Button variant="outline" size="sm" className="self-start" onClick={onDone}>
        I have copied it
      </Button>
    </div>
  );
}

function RevokeButton({ apiKey, onRevoked }: { apiKey: PublicKey; onRevoked: () => void }) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <>
      <Button variant="ghost" size="sm" className="shrink-0" aria-label={`Revoke ${apiKey.name}`} onClick={() => setOpen(true)}>
        <Trash2Icon /> Revoke
      </Button>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogTitle className="text-lg font-semibold">Revoke “{apiKey.name}”?</AlertDialogTitle>
          <AlertDialogDescription className="text-sm text-muted-foreground">
            Tools using {apiKey.prefix}… are refused from their next request on. This cannot be undone.
          </AlertDialogDescription>
          <div className="flex justify-end gap-2">
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              disabled={pending}
              onClick={(event) => {
                event.preventDefault();
                start(async () => {
                  try {
                    await requestJson(`/api/keys/${apiKey.id}`, { method: "DELETE" });
                    toast.success(`Revoked ${apiKey.name}.`);
                    onRevoked();
                  } catch (error) {
                    toast.error((error as Error).message);
                  }
                  setOpen(false);
                });
              }}
            >
              Revoke
            </AlertDialogAction>
          </div>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

/** The API's base URL with a copy button. */
export function BaseUrl({ url }: { url: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <span className="text-muted-foreground">Base URL</span>
      <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs break-all" data-testid="api-base-url">
        {url}
      </code>
      <CopyButton text={() => url} label="Copy" className="border" />
    </div>
  );
}

/** A member's personal API keys: create (the secret shown once), list, revoke. */
export function ApiKeys({ keys, allowed }: { keys: PublicKey[]; allowed: boolean }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const [expiry, setExpiry] = useState("never");
  const [pending, start] = useTransition();

  const create = (form: FormData) =>
    start(async () => {
      const name = String(form.get("name") ?? "").trim();
      try {
        const result = await requestJson<{ key: PublicKey; secret: string }>("/api/keys", {
          method: "POST",
          body: JSON.stringify({ name, ...(expiry === "never" ? {} : { expiresInDays: Number(expiry) }) }),
        });
        setCreated({ secret: result.secret, name: result.key.name });
        router.refresh();
      } catch (error) {
        toast.error((error as Error).message);
      }
    });

  return (
    <div className="flex flex-col gap-5">
      {created && <NewSecret secret={created.secret} name={created.name} onDone={() => setCreated(null)} />}
      {allowed ? (
        <form action={create} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
          <div className="grid gap-1.5">
            <Label htmlFor="key-name">Name</Label>
            <Input id="key-name" name="name" required maxLength={80} placeholder="e.g. Laptop editor" />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="key-expiry">Expires</Label>
            <Select value={expiry} onValueChange={setExpiry}>
              <SelectTrigger id="key-expiry" aria-label="Expires" className="w-full">
                {/* The label given here, not read from the items: those mount only after hydration. */}
                <SelectValue>{EXPIRY_CHOICES.find((choice) => choice.value === expiry)?.label}</SelectValue>
              </SelectTrigger>
              <SelectContent>
                {EXPIRY_CHOICES.map((choice) => (
                  <SelectItem key={choice.value} value={choice.value}>
                    {choice.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <Button type="submit" disabled={pending}>
            <KeyRoundIcon /> Create key
          </Button>
        </form>
      ) : (
        <p className="rounded-md border border-dashed p-3 text-sm text-muted-foreground" data-testid="api-access-off">
          API access is turned off for one of your groups, so your keys are refused. Ask an admin to turn it on.
        </p>
      )}
      {keys.length === 0 ? (
        <p className="text-sm text-muted-foreground">You have no API keys yet.</p>
      ) : (
        <ul className="divide-y rounded-md border text-sm" data-testid="api-keys">
          {keys.map((key) => (
            <li key={key.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-3 py-2.5" data-testid="api-key">
              <div className="flex min-w-0 flex-1 flex-col gap-0.5">
                <span className="truncate font-medium">{key.name}</span>
                <span className="text-xs text-muted-foreground">
                  <code className="font-mono">{key.prefix}…</code> · created {day(key.createdAt)} · expires{" "}
                  {key.expiresAt ? day(key.expiresAt) : "never"} · last used {key.lastUsedAt ? minute(key.lastUsedAt) : "never"}
                </span>
              </div>
              <RevokeButton apiKey={key} onRevoked={() => router.refresh()} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
