import { ChevronRightIcon } from "lucide-react";
import Link from "next/link";
import { AdminPageHeader } from "@/components/admin-page-header";
import { GroupModelSummary, NewGroupForm } from "@/components/admin-groups";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listPublicGroups } from "@/lib/access/groups";
import { requirePageAdmin } from "@/lib/auth/session";

export const metadata = { title: "Groups · Pillbox admin" };

export default async function GroupsPage() {
  await requirePageAdmin();
  const groups = await listPublicGroups();
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Groups">
        Groups decide who may use which models. A member may use a model when it is enabled and any of their groups
        allows it; admins may use every enabled model.
      </AdminPageHeader>
      <NewGroupForm />
      <Table data-testid="groups-table">
        <TableHeader>
          <TableRow>
            <TableHead>Group</TableHead>
            <TableHead className="text-right">Members</TableHead>
            <TableHead>Models</TableHead>
            <TableHead className="w-8 max-sm:hidden">
              <span className="sr-only">Open</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {groups.map((group) => (
            <TableRow key={group.id} data-testid="group-row" data-group={group.name} className="relative">
              <TableCell>
                <div className="flex items-center gap-2">
                  <Link href={`/admin/groups/${group.id}`} className="font-medium after:absolute after:inset-0 hover:underline">
                    {group.name}
                  </Link>
                  {group.builtin && <Badge variant="secondary">built-in</Badge>}
                </div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{group.memberCount}</TableCell>
              <TableCell>
                <GroupModelSummary modelIds={group.modelIds} teeOnly={group.teeOnly} />
              </TableCell>
              <TableCell className="text-muted-foreground max-sm:hidden">
                <ChevronRightIcon className="size-4" />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
