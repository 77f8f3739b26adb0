"use client";

import { useActionState, useTransition } from "react";
import { toast } from "sonner";
import { changeUserAction, createUserAction } from "@/app/admin/users/actions";
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
}: {
  userId: string;
  email: string;
  role: "ADMIN" | "MEMBER";
  disabled: boolean;
}) {
  const [pending, start] = useTransition();
  const change = (input: { disabled?: boolean; role?: "ADMIN" | "MEMBER" }) =>
    start(async () => {
      const result = await changeUserAction({ userId, ...input });
      (result.ok ? toast.success : toast.error)(result.message);
    });
  return (
    <div className="flex justify-end gap-2">
      <Button variant="outline" size="sm" disabled={pending} onClick={() => change({ role: role === "ADMIN" ? "MEMBER" : "ADMIN" })}>
        {role === "ADMIN" ? "Make member" : "Make admin"}
      </Button>
      <Button
        variant={disabled ? "outline" : "destructive"}
        size="sm"
        disabled={pending}
        aria-label={`${disabled ? "Enable" : "Disable"} ${email}`}
        onClick={() => change({ disabled: !disabled })}
      >
        {disabled ? "Enable" : "Disable"}
      </Button>
    </div>
  );
}
