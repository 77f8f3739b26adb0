import Link from "next/link";
import { AdminPageHeader } from "@/components/admin-page-header";
import { InviteForm, InviteList } from "@/components/admin-invites";
import { NewUserForm, UserControls } from "@/components/admin-users";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listPublicGroups } from "@/lib/access/groups";
import { listPublicInvites } from "@/lib/auth/invites";
import { requirePageAdmin } from "@/lib/auth/session";
import { listLiveUsersWithGroups } from "@/lib/db/users";

export const metadata = { title: "Users · Pillbox admin" };

function StatusBadge({ user }: { user: { disabledAt: Date | null; pendingApproval: boolean } }) {
  if (user.disabledAt) return <Badge variant="destructive">Disabled</Badge>;
  if (user.pendingApproval) return <Badge variant="warning">Waiting for approval</Badge>;
  return <Badge variant="outline">Active</Badge>;
}

export default async function UsersPage() {
  const me = await requirePageAdmin();
  const [users, invites, groups] = await Promise.all([listLiveUsersWithGroups(), listPublicInvites(), listPublicGroups()]);
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Users">
        Invite your team, make admins, reset passwords, disable or delete accounts. A disabled or deleted user is signed
        out on their next request.
      </AdminPageHeader>
      <InviteForm groups={groups.filter((g) => !g.builtin).map((g) => ({ id: g.id, name: g.name }))} />
      <InviteList invites={invites} />
      <NewUserForm />
      <Table data-testid="users-table">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Groups</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id} data-testid="user-row">
              <TableCell className="font-medium">
                <Link className="underline-offset-2 hover:underline" href={`/admin/users/${user.id}`}>
                  {user.name}
                </Link>
                {user.id === me.id && <span className="ml-1.5 text-xs font-normal text-muted-foreground">(you)</span>}
              </TableCell>
              <TableCell>{user.email}</TableCell>
              <TableCell>{user.role === "ADMIN" ? <Badge>Admin</Badge> : <Badge variant="secondary">Member</Badge>}</TableCell>
              <TableCell className="text-muted-foreground">{user.groups.map((m) => m.group.name).join(", ") || "—"}</TableCell>
              <TableCell>
                <StatusBadge user={user} />
              </TableCell>
              <TableCell className="text-right">
                <UserControls
                  userId={user.id}
                  email={user.email}
                  role={user.role}
                  disabled={user.disabledAt !== null}
                  pendingApproval={user.pendingApproval}
                  self={user.id === me.id}
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
