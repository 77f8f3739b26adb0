"use client";

import { useActionState, useState } from "react";
import { changePasswordAction, renameAction, signOutEverywhereAction, type SettingsState } from "@/app/(chat)/settings/actions";
import { AlertDialog, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogTitle } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

function Status({ state }: { state: SettingsState }) {
  if (!state.message) return null;
  return (
    <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-muted-foreground" : "text-destructive"}`}>
      {state.message}
    </p>
  );
}

export function NameForm({ name }: { name: string }) {
  const [state, action, pending] = useActionState(renameAction, {});
  return (
    <form action={action} className="flex flex-col gap-3">
      <div className="flex flex-col gap-2">
        <Label htmlFor="settings-name">Name</Label>
        <Input id="settings-name" name="name" defaultValue={name} required maxLength={100} autoComplete="name" />
      </div>
      <Status state={state} />
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? "Saving…" : "Save name"}
      </Button>
    </form>
  );
}

export function PasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, {});
  return (
    <form action={action} className="flex flex-col gap-3" key={state.ok ? "done" : "form"}>
      <div className="flex flex-col gap-2">
        <Label htmlFor="current-password">Current password</Label>
        <Input id="current-password" name="currentPassword" type="password" required autoComplete="current-password" />
      </div>
      <div className="flex flex-col gap-2">
        <Label htmlFor="new-password">New password (8+ characters)</Label>
        <Input id="new-password" name="newPassword" type="password" required minLength={8} autoComplete="new-password" />
      </div>
      <Status state={state} />
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}

export function SignOutEverywhere() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outline" className="self-start" onClick={() => setOpen(true)}>
        Sign out everywhere
      </Button>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogTitle className="text-lg font-semibold">Sign out everywhere?</AlertDialogTitle>
          <AlertDialogDescription className="text-sm text-muted-foreground">
            Every browser signed in to your account, this one included, is signed out.
          </AlertDialogDescription>
          <form action={signOutEverywhereAction} className="flex justify-end gap-2">
            <AlertDialogCancel type="button">Cancel</AlertDialogCancel>
            <Button type="submit" variant="destructive">
              Sign out everywhere
            </Button>
          </form>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
