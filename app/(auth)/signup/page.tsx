import Link from "next/link";
import { redirect } from "next/navigation";
import { signUpAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { passwordSignInAllowed } from "@/lib/auth/sign-in-policy";
import { forPage } from "@/lib/db/unavailable";
import { countUsers } from "@/lib/db/users";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Sign up · Pillbox" };

const signInLink = (
  <Link href="/signin" className="text-foreground underline underline-offset-4">
    Sign in
  </Link>
);

export default async function SignUpPage() {
  if ((await forPage(countUsers())) === 0) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const [settings, passwords] = await Promise.all([getWorkspaceSettings(), passwordSignInAllowed()]);
  if (settings.signupMode !== "open" || !passwords) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Sign-up is closed</CardTitle>
          <CardDescription>
            {passwords ? "Pillbox is invite-only here. Ask an admin for an invite." : "Use single sign-on on the sign-in page."}
          </CardDescription>
        </CardHeader>
        <CardContent className="text-sm text-muted-foreground">Already have an account? {signInLink}</CardContent>
      </Card>
    );
  }
  const domains = settings.signupDomains.map((d) => `@${d}`).join(", ");
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create an account</CardTitle>
        <CardDescription>
          {domains ? `Open to ${domains} addresses.` : "No email domain is open for sign-up yet."}
          {settings.signupRequiresApproval && " An admin approves new accounts before they can sign in."}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <AuthForm
          action={signUpAction}
          submitLabel="Create account"
          fields={[
            { name: "name", label: "Name", type: "text", autoComplete: "name" },
            { name: "email", label: "Email", type: "email", autoComplete: "email" },
            { name: "password", label: "Password (8+ characters)", type: "password", autoComplete: "new-password", minLength: 8 },
          ]}
          footer={<p className="text-center text-sm text-muted-foreground">Already have an account? {signInLink}</p>}
        />
      </CardContent>
    </Card>
  );
}
