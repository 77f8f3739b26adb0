import Link from "next/link";
import { redirect } from "next/navigation";
import { signInAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth-form";
import { SsoButton } from "@/components/sso-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ssoButton } from "@/lib/auth/oidc";
import { getCurrentUser } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { passwordSignInAllowed } from "@/lib/auth/sign-in-policy";
import { forPage } from "@/lib/db/unavailable";
import { countUsers } from "@/lib/db/users";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Sign in · Pillbox" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; code?: string }>;
}) {
  if ((await forPage(countUsers())) === 0) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl = "/", error, code } = await searchParams;
  const [passwords, settings] = await Promise.all([passwordSignInAllowed(), getWorkspaceSettings()]);
  const problem = signInErrorMessage(error, code);
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>
          {!passwords
            ? `Sign in with your ${ssoButton?.name} account.`
            : ssoButton
              ? `Use your ${ssoButton.name} account, or the email and password your admin gave you.`
              : "Use the email and password your admin gave you."}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {problem && (
          <p role="alert" data-testid="sign-in-error" className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive">
            {problem}
          </p>
        )}
        {ssoButton && <SsoButton name={ssoButton.name} callbackUrl={callbackUrl} />}
        {ssoButton && passwords && (
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" /> or <span className="h-px flex-1 bg-border" />
          </div>
        )}
        {passwords && (
          <AuthForm
            action={signInAction}
            submitLabel="Sign in"
            hidden={{ callbackUrl }}
            fields={[
              { name: "email", label: "Email", type: "email", autoComplete: "email" },
              { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
            ]}
          />
        )}
        {settings.signupMode === "open" && passwords && (
          <p className="text-center text-sm text-muted-foreground">
            New here?{" "}
            <Link href="/signup" className="text-foreground underline underline-offset-4">
              Create an account
            </Link>
          </p>
        )}
      </CardContent>
    </Card>
  );
}
