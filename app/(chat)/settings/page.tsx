import Link from "next/link";
import { NameForm, PasswordForm, SignOutEverywhere } from "@/components/settings-forms";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { myProfile } from "@/lib/auth/profile";
import { requirePageUser } from "@/lib/auth/session";

export const metadata = { title: "Settings · Pillbox" };

export default async function SettingsPage() {
  const me = await requirePageUser();
  const { user, groups, models } = await myProfile(me);
  return (
    <div className="flex-1 overflow-y-auto">
      <div className="mx-auto flex w-full max-w-2xl flex-col gap-6 px-4 py-8">
        <div>
          <h1 className="text-2xl font-semibold">Settings</h1>
          <p className="text-sm text-muted-foreground">
            {user.email} · {user.role === "ADMIN" ? "Admin" : "Member"}
          </p>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
          </CardHeader>
          <CardContent>
            <NameForm name={user.name} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Password</CardTitle>
            <CardDescription>Changing it signs you out on every other device.</CardDescription>
          </CardHeader>
          <CardContent>
            {user.hasPassword ? (
              <PasswordForm />
            ) : (
              <p className="text-sm text-muted-foreground">You sign in through single sign-on, so there is no Pillbox password to change.</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sessions</CardTitle>
            <CardDescription>Lost a device? End every session of your account, including this one.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col">
            <SignOutEverywhere />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>API keys</CardTitle>
            <CardDescription>Use Pillbox from your editor, scripts and other OpenAI-compatible tools.</CardDescription>
          </CardHeader>
          <CardContent>
            <Link href="/settings/keys" className="text-sm font-medium underline underline-offset-4">
              Manage API keys
            </Link>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Access</CardTitle>
            <CardDescription>Your groups decide which models you may use. Ask an admin to change them.</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            <div className="flex flex-wrap gap-1.5" data-testid="my-groups">
              {groups.map((group) => (
                <Badge key={group.id} variant="secondary">
                  {group.name}
                </Badge>
              ))}
            </div>
            {models.length === 0 ? (
              <p className="text-sm text-muted-foreground">No models are available to you yet.</p>
            ) : (
              <ul className="divide-y rounded-md border text-sm" data-testid="my-models">
                {models.map((model) => (
                  <li key={model.id} className="flex items-center justify-between gap-2 px-3 py-2">
                    <span className="min-w-0 truncate">
                      {model.name} <span className="text-xs text-muted-foreground">{model.id}</span>
                    </span>
                    {model.isTee && <Badge variant="tee">TEE</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
