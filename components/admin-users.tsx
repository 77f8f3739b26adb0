"use client";

import { useActionState, useState, useTransition } from "react";
import { toast } from "sonner";
import { changeUserAction, createUserAction, deleteUserAction, resetLinkAction, type ActionResult } from "@/app/admin/users/actions";
import { OneTimeLink } from "@/components/one-time-link";
import { AlertDialog, AlertDialogAction, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogTitle } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export function NewUserForm() {
  const [state, action, pending] = useActionState(createUserAction, null);
  return (
    <form action={action} className="grid gap-3 rounded-lg border p-4 sm:grid-cols-[1fr_1fr_1fr_auto_auto] sm:items-end">
      <div className="grid gap-1.5">
        <Label htmlFor="new-name">Name</Label>
        <Input id="new-name" name="name" required autoComplete="off" defaultValue={state?.values?.name} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="new-email">Email</Label>
        <Input id="new-email" name="email" type="email" required autoComplete="off" defaultValue={state?.values?.email} />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="new-password">Password (8+ characters)</Label>
        <Input id="new-password" name="password" type="password" minLength={8} required autoComplete="new-password" />
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="new-role">Role</Label>
        <select id="new-role" name="role" defaultValue="MEMBER" className="h-9 rounded-md border border-input bg-background px-2 text-sm">
          <option value="MEMBER">Member</option>
          <option value="ADMIN">Admin</option>
        </select>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </Button>
      {state && (
        <p role={state.ok ? "status" : "alert"} className={`text-sm sm:col-span-5 ${state.ok ? "text-muted-foreground" : "text-destructive"}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}

export function UserControls({
  userId,
  email,
  role,
  disabled,
  pendingApproval,
  self,
}: {
  userId: string;
  email: string;
  role: "ADMIN" | "MEMBER";
  disabled: boolean;
  pendingApproval: boolean;
  /** the signed-in admin's own row: only "make member" (step down) is offered */
  self: boolean;
}) {
  const [pending, start] = useTransition();
  const [resetUrl, setResetUrl] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const run = (work: () => Promise<ActionResult>) =>
    start(async () => {
      const result = await work();
      (result.ok ? toast.success : toast.error)(result.message);
      if (result.url) setResetUrl(result.url);
    });
  const change = (input: { disabled?: boolean; role?: "ADMIN" | "MEMBER"; approved?: true }) =>
    run(() => changeUserAction({ userId, ...input }));

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {pendingApproval && (
          <Button size="sm" disabled={pending} onClick={() => change({ approved: true })} aria-label={`Approve ${email}`}>
            Approve
          </Button>
        )}
        {(!self || role === "ADMIN") && (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => change({ role: role === "ADMIN" ? "MEMBER" : "ADMIN" })}>
            {role === "ADMIN" ? "Make member" : "Make admin"}
          </Button>
        )}
        {!self && (
          <>
            <Button variant="outline" size="sm" disabled={pending} onClick={() => run(() => resetLinkAction({ userId }))} aria-label={`Reset link for ${email}`}>
              Reset link
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={pending}
              aria-label={`${disabled ? "Enable" : "Disable"} ${email}`}
              onClick={() => change({ disabled: !disabled })}
            >
              {disabled ? "Enable" : "Disable"}
            </Button>
            <Button variant="destructive" size="sm" disabled={pending} aria-label={`Delete ${email}`} onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </>
        )}
      </div>
      {resetUrl && (
        <div className="w-full max-w-md text-left">
          <OneTimeLink url={resetUrl} label={`Password reset link for ${email}: works once, for 24 hours.`} />
        </div>
      )}
      <DeleteUserDialog
        open={deleting}
        onOpenChange={setDeleting}
        email={email}
        onDelete={(chats) => run(() => deleteUserAction({ userId, chats }))}
      />
    </div>
  );
}

function DeleteUserDialog({
  open,
  onOpenChange,
  email,
  onDelete,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  email: string;
  onDelete: (chats: "delete" | "keep") => void;
}) {
  const [chats, setChats] = useState<"delete" | "keep">("keep");
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogContent>
        <AlertDialogTitle className="text-lg font-semibold">Delete {email}?</AlertDialogTitle>
        <AlertDialogDescription className="text-sm text-muted-foreground">
          They are signed out and can no longer sign in. Their usage stays in the usage log.
        </AlertDialogDescription>
        <fieldset className="flex flex-col gap-2 text-sm">
          <legend className="mb-1 font-medium">Their chats</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="chats" value="keep" checked={chats === "keep"} onChange={() => setChats("keep")} className="accent-primary" />
            Keep their chats
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="chats" value="delete" checked={chats === "delete"} onChange={() => setChats("delete")} className="accent-primary" />
            Delete their chats
          </label>
        </fieldset>
        <div className="flex justify-end gap-2">
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction onClick={() => onDelete(chats)}>Delete user</AlertDialogAction>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  );
}
