"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { createInviteAction, revokeInviteAction } from "@/app/admin/users/actions";
import { OneTimeLink } from "@/components/one-time-link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export interface InviteRow {
  id: string;
  role: "ADMIN" | "MEMBER";
  email: string | null;
  groups: { id: string; name: string }[];
  status: "pending" | "used" | "revoked" | "expired";
  expiresAt: string;
}

const EXPIRY_CHOICES = [
  { hours: 24, label: "1 day" },
  { hours: 72, label: "3 days" },
  { hours: 168, label: "7 days" },
  { hours: 720, label: "30 days" },
];

const selectClass = "h-9 rounded-md border border-input bg-background px-2 text-sm";

export function InviteForm({ groups }: { groups: { id: string; name: string }[] }) {
  const [pending, start] = useTransition();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (form: FormData) =>
    start(async () => {
      const email = String(form.get("email") ?? "").trim();
      const result = await createInviteAction({
        role: form.get("role") === "ADMIN" ? "ADMIN" : "MEMBER",
        groupIds: form.getAll("groupIds").map(String),
        ...(email ? { email } : {}),
        expiresInHours: Number(form.get("expiresInHours") ?? 168),
      });
      setError(result.ok ? null : result.message);
      setUrl(result.url ?? null);
    });

  return (
    <form action={submit} className="flex flex-col gap-3 rounded-lg border p-4" data-testid="invite-form">
      <h2 className="font-medium">Invite someone</h2>
      <div className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end">
        <div className="grid gap-1.5">
          <Label htmlFor="invite-email">Only this address may use it (optional)</Label>
          <Input id="invite-email" name="email" type="email" autoComplete="off" placeholder="anyone with the link" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="invite-role">Role</Label>
          <select id="invite-role" name="role" defaultValue="MEMBER" className={selectClass}>
            <option value="MEMBER">Member</option>
            <option value="ADMIN">Admin</option>
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="invite-expiry">Expires in</Label>
          <select id="invite-expiry" name="expiresInHours" defaultValue="168" className={selectClass}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.hours} value={choice.hours}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      {groups.length > 0 && (
        <fieldset className="flex flex-wrap gap-x-4 gap-y-2">
          <legend className="mb-1.5 text-sm font-medium">Groups (everyone is in Everyone)</legend>
          {groups.map((group) => (
            <label key={group.id} className="flex items-center gap-1.5 text-sm">
              <input type="checkbox" name="groupIds" value={group.id} className="size-4 accent-primary" />
              {group.name}
            </label>
          ))}
        </fieldset>
      )}
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? "Creating…" : "Create invite link"}
      </Button>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      {url && <OneTimeLink url={url} label="Invite link: copy it now, it is shown only once." />}
    </form>
  );
}

const statusBadge: Record<InviteRow["status"], { label: string; variant: "outline" | "secondary" | "destructive" }> = {
  pending: { label: "Pending", variant: "outline" },
  used: { label: "Used", variant: "secondary" },
  revoked: { label: "Revoked", variant: "destructive" },
  expired: { label: "Expired", variant: "secondary" },
};

export function InviteList({ invites }: { invites: InviteRow[] }) {
  const [pending, start] = useTransition();
  if (invites.length === 0) return null;
  const revoke = (inviteId: string) =>
    start(async () => {
      const result = await revokeInviteAction({ inviteId });
      (result.ok ? toast.success : toast.error)(result.message);
    });
  return (
    <Table data-testid="invites-table">
      <TableHeader>
        <TableRow>
          <TableHead>Invite for</TableHead>
          <TableHead>Role</TableHead>
          <TableHead>Groups</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead className="text-right">Actions</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {invites.map((invite) => (
          <TableRow key={invite.id} data-testid="invite-row">
            <TableCell>{invite.email ?? <span className="text-muted-foreground">anyone with the link</span>}</TableCell>
            <TableCell>{invite.role === "ADMIN" ? "Admin" : "Member"}</TableCell>
            <TableCell>{invite.groups.map((g) => g.name).join(", ") || "—"}</TableCell>
            <TableCell>
              <Badge variant={statusBadge[invite.status].variant}>{statusBadge[invite.status].label}</Badge>
            </TableCell>
            <TableCell className="whitespace-nowrap text-muted-foreground">{invite.expiresAt.slice(0, 16).replace("T", " ")} UTC</TableCell>
            <TableCell className="text-right">
              {invite.status === "pending" && (
                <Button variant="outline" size="sm" disabled={pending} onClick={() => revoke(invite.id)}>
                  Revoke
                </Button>
              )}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
