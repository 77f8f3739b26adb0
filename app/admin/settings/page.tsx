import { AdminPageHeader } from "@/components/admin-page-header";
import { SignInSettingsForm } from "@/components/admin-settings-form";
import { ssoButton } from "@/lib/auth/oidc";
import { requirePageAdmin } from "@/lib/auth/session";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Settings · Pillbox admin" };

export default async function SettingsPage() {
  await requirePageAdmin();
  const settings = await getWorkspaceSettings();
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Settings">
        Sign-in and sign-up for this workspace.{ssoButton ? ` Single sign-on: ${ssoButton.name}.` : ""}
      </AdminPageHeader>
      <SignInSettingsForm
        ssoName={ssoButton?.name ?? null}
        values={{
          signupMode: settings.signupMode,
          signupDomains: settings.signupDomains,
          signupRequiresApproval: settings.signupRequiresApproval,
          passwordLogin: settings.passwordLogin,
        }}
      />
    </div>
  );
}
