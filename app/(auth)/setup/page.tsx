import { redirect } from "next/navigation";
import { setupAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { setupTokenMatches, setupTokenRequired } from "@/lib/auth/setup-token";
import { forPage } from "@/lib/db/unavailable";
import { countUsers } from "@/lib/db/users";

export const metadata = { title: "Set up · Pillbox" };

export default async function SetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  if ((await forPage(countUsers())) > 0) redirect("/signin");
  const { token } = await searchParams;
  const given = typeof token === "string" ? token : undefined;
  if (!setupTokenMatches(given)) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Open the setup link</CardTitle>
          <CardDescription>
            {given ? "That setup link is not valid. " : ""}
            This workspace is protected by a setup token: open the setup link that the server printed when it
            started (it ends in <code>/setup?token=…</code>), or ask whoever deployed it.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Welcome to Pillbox</CardTitle>
        <CardDescription>Create the first admin account. You can invite your team afterwards.</CardDescription>
      </CardHeader>
      <CardContent>
        <AuthForm
          action={setupAction}
          submitLabel="Create admin account"
          hidden={setupTokenRequired() && given ? { token: given } : undefined}
          fields={[
            { name: "name", label: "Name", type: "text", autoComplete: "name" },
            { name: "email", label: "Email", type: "email", autoComplete: "email" },
            { name: "password", label: "Password (8+ characters)", type: "password", autoComplete: "new-password", minLength: 8 },
          ]}
        />
      </CardContent>
    </Card>
  );
}
