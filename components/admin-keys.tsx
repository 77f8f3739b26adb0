"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { day, minute } from "@/components/api-keys";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requestJson } from "@/lib/chat/client-fetch";
import type { AdminKey } from "@/lib/keys/manage";

function AdminRevoke({ apiKey }: { apiKey: AdminKey }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <>
      <Button variant="outline" size="sm" aria-label={`Revoke ${apiKey.name} of ${apiKey.user.email}`} onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <AlertDialog open={open} onOpenChange={setOpen}>
        <AlertDialogContent>
          <AlertDialogTitle className="text-lg font-semibold">Revoke “{apiKey.name}”?</AlertDialogTitle>
          <AlertDialogDescription className="text-sm text-muted-foreground">
            {apiKey.user.email}&apos;s tools using {apiKey.prefix}… are refused from their next request on.
          </AlertDialogDescription>
          <div className="flex justify-end gap-2">
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              disabled={pending}
              onClick={(event) => {
                event.preventDefault();
                start(async () => {
                  try {
                    await requestJson(`/api/admin/keys/${apiKey.id}`, { method: "DELETE" });
                    toast.success(`Revoked ${apiKey.name}.`);
                    router.refresh();
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

/** Every member's API keys, for admins: whose, when used, revoke, and their usage. */
export function AdminKeys({ keys }: { keys: AdminKey[] }) {
  if (keys.length === 0) return <p className="text-sm text-muted-foreground">Nobody has created an API key yet.</p>;
  return (
    <Table data-testid="admin-keys">
      <TableHeader>
        <TableRow>
          <TableHead>Key</TableHead>
          <TableHead>Member</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>Expires</TableHead>
          <TableHead>Last used</TableHead>
          <TableHead>Status</TableHead>
          <TableHead />
        </TableRow>
      </TableHeader>
      <TableBody>
        {keys.map((key) => {
          const { status } = key;
          return (
            <TableRow key={key.id} data-testid="admin-key">
              <TableCell>
                <div className="font-medium">{key.name}</div>
                <code className="font-mono text-xs text-muted-foreground">{key.prefix}…</code>
              </TableCell>
              <TableCell>
                <Link href={`/admin/users/${key.user.id}`} className="hover:underline">
                  {key.user.email}
                </Link>
              </TableCell>
              <TableCell>{day(key.createdAt)}</TableCell>
              <TableCell>{key.expiresAt ? day(key.expiresAt) : "Never"}</TableCell>
              <TableCell>{minute(key.lastUsedAt)}</TableCell>
              <TableCell>
                <Badge variant={status === "active" ? "secondary" : "outline"}>{status}</Badge>
              </TableCell>
              <TableCell className="text-right whitespace-nowrap">
                <Link href={`/admin/usage?apiKeyId=${key.id}`} className="mr-3 text-sm text-muted-foreground hover:text-foreground">
                  Usage
                </Link>
                {status === "active" && <AdminRevoke apiKey={key} />}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
