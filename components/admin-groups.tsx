"use client";

import { ShieldCheckIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState, useTransition } from "react";
import { toast } from "sonner";
import { createGroupAction, deleteGroupAction, renameGroupAction } from "@/app/admin/groups/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** "All enabled models" or "N models", and whether the group is narrowed to TEE models. */
export function GroupModelSummary({ modelIds, teeOnly }: { modelIds: string[] | null; teeOnly: boolean }) {
  const label = modelIds === null ? "All enabled models" : modelIds.length === 1 ? "1 model" : `${modelIds.length} models`;
  return (
    <span className="inline-flex items-center gap-2" data-testid="group-models-summary">
      <span>{label}</span>
      {teeOnly && (
        <Badge variant="tee" title="Only models running in a confidential-computing enclave">
          <ShieldCheckIcon /> TEE only
        </Badge>
      )}
    </span>
  );
}

/** Creates a group (every enabled model by default) and opens it to choose its members and models. */
export function NewGroupForm() {
  const router = useRouter();
  const [state, action, pending] = useActionState(createGroupAction, null);
  useEffect(() => {
    if (state?.ok && state.groupId) router.push(`/admin/groups/${state.groupId}`);
  }, [state, router]);
  return (
    <form action={action} className="flex flex-col gap-2 rounded-lg border p-4">
      <Label htmlFor="new-group-name">New group</Label>
      <div className="flex gap-2">
        <Input id="new-group-name" name="name" required maxLength={80} autoComplete="off" placeholder="e.g. Research" />
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create group"}
        </Button>
      </div>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}

export function RenameGroupForm({ groupId, name }: { groupId: string; name: string }) {
  const [value, setValue] = useState(name);
  const [pending, start] = useTransition();
  return (
    <form
      className="flex gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        start(async () => {
          const result = await renameGroupAction({ groupId, name: value });
          (result.ok ? toast.success : toast.error)(result.message);
        });
      }}
    >
      <Input aria-label="Group name" value={value} maxLength={80} required onChange={(e) => setValue(e.target.value)} />
      <Button type="submit" variant="outline" disabled={pending || value.trim() === name || value.trim() === ""}>
        Rename
      </Button>
    </form>
  );
}

export function DeleteGroupButton({ groupId, name }: { groupId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <>
      <Button variant="destructive" onClick={() => setOpen(true)}>
        <Trash2Icon /> Delete group
      </Button>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogTitle className="text-lg font-semibold">Delete {name}?</AlertDialogTitle>
          <AlertDialogDescription className="text-sm text-muted-foreground">
            Its members lose the models only this group allowed, on their next request. Their accounts and chats stay.
          </AlertDialogDescription>
          <div className="flex justify-end gap-2">
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              disabled={pending}
              onClick={(event) => {
                event.preventDefault();
                start(async () => {
                  const result = await deleteGroupAction({ groupId });
                  setOpen(false);
                  if (!result.ok) return void toast.error(result.message);
                  toast.success(`Deleted ${name}.`);
                  router.push("/admin/groups");
                });
              }}
            >
              Delete
            </AlertDialogAction>
          </div>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
