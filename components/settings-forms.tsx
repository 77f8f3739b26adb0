"use client";

import { useActionState, useState, useTransition } from "react";
import { renameAction, signOutEverywhereAction, type SettingsState } from "@/app/(chat)/settings/actions";
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

/**
 * Posts to /api/me/password rather than a server action: the route answers with this browser's
 * fresh session cookie, while a server action would re-render the page with the old, now ended one.
 */
export function PasswordForm() {
  const [state, setState] = useState<SettingsState>({});
  const [pending, start] = useTransition();
  const submit = (form: FormData) =>
    start(async () => {
      const response = await fetch("/api/me/password", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") }),
      });
      if (response.ok) return setState({ ok: true, message: "Password changed. Your other sessions are signed out." });
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setState({ ok: false, message: body?.error?.message ?? "The password could not be changed. Please try again." });
    });
  return (
    <form action={submit} className="flex flex-col gap-3">
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
