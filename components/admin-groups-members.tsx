"use client";

import { UserMinusIcon, UserPlusIcon } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { addGroupMemberAction, removeGroupMemberAction } from "@/app/admin/groups/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export interface GroupPerson {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "MEMBER";
}

export function GroupMembers({
  groupId,
  members,
  candidates,
}: {
  groupId: string;
  members: GroupPerson[];
  /** Users who could be added: not deleted and not already members. */
  candidates: GroupPerson[];
}) {
  const [pick, setPick] = useState<string>("");
  const [pending, start] = useTransition();
  const run = (work: () => ReturnType<typeof addGroupMemberAction>, after?: () => void) =>
    start(async () => {
      const result = await work();
      (result.ok ? toast.success : toast.error)(result.message);
      if (result.ok) after?.();
    });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex gap-2">
        <Select value={pick} onValueChange={setPick} disabled={candidates.length === 0}>
          <SelectTrigger aria-label="User to add" data-testid="member-picker" className="w-full min-w-0 flex-1">
            <SelectValue placeholder={candidates.length ? "Choose a user…" : "Everyone is already a member"} />
          </SelectTrigger>
          <SelectContent>
            {candidates.map((user) => (
              <SelectItem key={user.id} value={user.id} data-testid={`member-option-${user.email}`}>
                {user.name} · {user.email}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Button
          disabled={!pick || pending}
          onClick={() => run(() => addGroupMemberAction({ groupId, userId: pick }), () => setPick(""))}
        >
          <UserPlusIcon /> Add
        </Button>
      </div>
      {members.length === 0 ? (
        <p className="rounded-md border border-dashed p-4 text-center text-sm text-muted-foreground">No members yet.</p>
      ) : (
        <ul className="divide-y rounded-md border" data-testid="group-members">
          {members.map((user) => (
            <li key={user.id} className="flex items-center gap-2 px-3 py-2" data-testid="group-member">
              <div className="min-w-0 flex-1">
                <div className="truncate text-sm font-medium">{user.name}</div>
                <div className="truncate text-xs text-muted-foreground">{user.email}</div>
              </div>
              {user.role === "ADMIN" && <Badge variant="secondary">Admin</Badge>}
              <Button
                variant="ghost"
                size="icon"
                disabled={pending}
                aria-label={`Remove ${user.email}`}
                title={`Remove ${user.email}`}
                onClick={() => run(() => removeGroupMemberAction({ groupId, userId: user.id }))}
              >
                <UserMinusIcon />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
