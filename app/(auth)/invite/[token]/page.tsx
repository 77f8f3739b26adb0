import { acceptInviteAction } from "@/app/(auth)/invite/actions";
import { AuthForm, type Field } from "@/components/auth-form";
import { LinkProblem } from "@/components/link-problem";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { describeInvite } from "@/lib/auth/invites";
import { linkTokenParams } from "@/lib/auth/link-token";

export const metadata = { title: "Join · Pillbox" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const parsed = linkTokenParams.safeParse(await params);
  const invite = parsed.success ? await describeInvite(parsed.data.token) : { status: "unknown" as const };
  if (invite.status === "unknown") return <LinkProblem title="This invite link is not valid" problem="Check that you copied the whole link." />;
  if (invite.status !== "pending") return <LinkProblem title="This invite can’t be used" problem={invite.problem} />;

  const fields: Field[] = [
    { name: "name", label: "Name", type: "text", autoComplete: "name" },
    ...(invite.email ? [] : [{ name: "email", label: "Email", type: "email", autoComplete: "email" } satisfies Field]),
    { name: "password", label: "Password (8+ characters)", type: "password", autoComplete: "new-password", minLength: 8 },
  ];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Join Pillbox</CardTitle>
        <CardDescription>
          {invite.invitedBy ? `${invite.invitedBy} invited you` : "You are invited"} to join as{" "}
          {invite.role === "ADMIN" ? "an admin" : "a member"}.
        </CardDescription>
        <div className="flex flex-wrap gap-1.5 pt-1">
          <Badge variant={invite.role === "ADMIN" ? "default" : "secondary"}>{invite.role === "ADMIN" ? "Admin" : "Member"}</Badge>
          {invite.groups.map((group) => (
            <Badge key={group} variant="outline">
              {group}
            </Badge>
          ))}
        </div>
        {invite.email && (
          <p className="pt-2 text-sm">
            Your account: <span className="font-medium">{invite.email}</span>
          </p>
        )}
      </CardHeader>
      <CardContent>
        <AuthForm action={acceptInviteAction} submitLabel="Create my account" hidden={{ token: parsed.data!.token }} fields={fields} />
      </CardContent>
    </Card>
  );
}
