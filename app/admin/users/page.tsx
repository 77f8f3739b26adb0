import { AdminPageHeader } from "@/components/admin-page-header";
import { NewUserForm, UserControls } from "@/components/admin-users";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAdmin } from "@/lib/auth/session";
import { listUsers } from "@/lib/db/users";

export const metadata = { title: "Users · Pillbox admin" };

export default async function UsersPage() {
  const me = await requirePageAdmin();
  const users = await listUsers();
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Users">
        Add your team, make admins, and disable accounts. A disabled user is signed out on their next request.
      </AdminPageHeader>
      <NewUserForm />
      <Table data-testid="users-table">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Email</TableHead>
            <TableHead>Role</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Actions</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {users.map((user) => (
            <TableRow key={user.id} data-testid="user-row">
              <TableCell className="font-medium">{user.name}</TableCell>
              <TableCell>{user.email}</TableCell>
              <TableCell>{user.role === "ADMIN" ? <Badge>Admin</Badge> : <Badge variant="secondary">Member</Badge>}</TableCell>
              <TableCell>
                {user.disabledAt ? <Badge variant="destructive">Disabled</Badge> : <Badge variant="outline">Active</Badge>}
              </TableCell>
              <TableCell className="text-right">
                {user.id === me.id ? (
                  <span className="text-xs text-muted-foreground">you</span>
                ) : (
                  <UserControls userId={user.id} email={user.email} role={user.role} disabled={user.disabledAt !== null} />
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
