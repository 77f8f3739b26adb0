"use client";

import { CheckIcon, PencilIcon, XIcon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { changeModelAction } from "@/app/admin/models/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** The model's shown name, editable in place: an empty name shows the catalog's name again. */
export function AdminModelName({ id, name, catalogName, displayName }: { id: string; name: string; catalogName: string; displayName: string | null }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(displayName ?? "");
  const [pending, start] = useTransition();

  const save = () =>
    start(async () => {
      const result = await changeModelAction({ id, change: { displayName: draft } });
      (result.ok ? toast.success : toast.error)(result.message);
      if (result.ok) setEditing(false);
    });

  if (editing) {
    return (
      <form
        className="flex items-center gap-1"
        onSubmit={(event) => {
          event.preventDefault();
          save();
        }}
      >
        <Input
          autoFocus
          value={draft}
          maxLength={100}
          placeholder={catalogName}
          aria-label={`Display name for ${id}`}
          disabled={pending}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => event.key === "Escape" && setEditing(false)}
          className="h-8 w-56"
        />
        <Button type="submit" variant="ghost" size="icon" className="size-8" aria-label="Save name" disabled={pending}>
          <CheckIcon />
        </Button>
        <Button type="button" variant="ghost" size="icon" className="size-8" aria-label="Cancel" onClick={() => setEditing(false)}>
          <XIcon />
        </Button>
      </form>
    );
  }
  return (
    <span className="group/name inline-flex min-w-0 items-center gap-1">
      <span className="truncate font-medium">{name}</span>
      <Button
        variant="ghost"
        size="icon"
        className="size-7 text-muted-foreground opacity-60 group-hover/name:opacity-100"
        aria-label={`Rename ${id}`}
        onClick={() => {
          setDraft(displayName ?? "");
          setEditing(true);
        }}
      >
        <PencilIcon className="size-3.5" />
      </Button>
    </span>
  );
}
