import { redirect } from "next/navigation";
import { setupAction } from "@/app/(auth)/actions";
import { AuthForm } from "@/components/auth-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { forPage } from "@/lib/db/unavailable";
import { countUsers } from "@/lib/db/users";

export const metadata = { title: "Set up · Pillbox" };

export default async function SetupPage() {
  if ((await forPage(countUsers())) > 0) redirect("/signin");
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
