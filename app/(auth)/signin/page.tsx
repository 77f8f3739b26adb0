import { redirect } from "next/navigation";
import { signInAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/session";
import { countUsers } from "@/lib/db/users";

export const metadata = { title: "Sign in · Pillbox" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if ((await countUsers()) === 0) redirect("/setup");
  if (await getCurrentUser()) redirect("/");
  const { callbackUrl } = await searchParams;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>Use the email and password your admin gave you.</CardDescription>
      </CardHeader>
      <CardContent>
        <AuthForm
          action={signInAction}
          submitLabel="Sign in"
          hidden={{ callbackUrl: callbackUrl ?? "/" }}
          fields={[
            { name: "email", label: "Email", type: "email", autoComplete: "email" },
            { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
          ]}
        />
      </CardContent>
    </Card>
  );
}
