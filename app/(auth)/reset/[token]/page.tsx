import { resetPasswordAction } from "@/app/(auth)/reset/actions";
import { AuthForm } from "@/components/auth-form";
import { LinkProblem } from "@/components/link-problem";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { linkTokenParams } from "@/lib/auth/link-token";
import { describePasswordReset } from "@/lib/auth/password-resets";

export const metadata = { title: "Set a new password · Pillbox" };
export const dynamic = "force-dynamic";

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const parsed = linkTokenParams.safeParse(await params);
  const reset = parsed.success ? await describePasswordReset(parsed.data.token) : { status: "unknown" as const };
  if (reset.status === "unknown") return <LinkProblem title="This reset link is not valid" problem="Check that you copied the whole link." />;
  if (reset.status !== "pending") return <LinkProblem title="This reset link can’t be used" problem={reset.problem} />;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Set a new password</CardTitle>
        <CardDescription>
          For <span className="font-medium text-foreground">{reset.email}</span>. You will be signed out everywhere else.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <AuthForm
          action={resetPasswordAction}
          submitLabel="Set password and sign in"
          hidden={{ token: parsed.data!.token }}
          fields={[{ name: "password", label: "New password (8+ characters)", type: "password", autoComplete: "new-password", minLength: 8 }]}
        />
      </CardContent>
    </Card>
  );
}
