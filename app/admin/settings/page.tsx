import { ChatDefaultsForm } from "@/components/admin-chat-defaults";
import { AdminPageHeader } from "@/components/admin-page-header";
import { SignInSettingsForm } from "@/components/admin-settings-form";
import { TitleModelForm } from "@/components/admin-title-model";
import { ssoButton } from "@/lib/auth/oidc";
import { requirePageAdmin } from "@/lib/auth/session";
import { compactSettings } from "@/lib/chat/settings";
import { listEnabledModels } from "@/lib/db/models";
import { toModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Settings · Pillbox admin" };

export default async function SettingsPage() {
  await requirePageAdmin();
  const [settings, enabledModels] = await Promise.all([getWorkspaceSettings(), listEnabledModels()]);
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="Settings">
        Sign-in and sign-up for this workspace, and the model settings every chat starts from.
        {ssoButton ? ` Single sign-on: ${ssoButton.name}.` : ""}
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
      <section className="flex flex-col gap-3" aria-labelledby="chat-defaults-heading">
        <div>
          <h2 id="chat-defaults-heading" className="text-base font-semibold">
            Chat defaults
          </h2>
          <p className="text-sm text-muted-foreground">
            A default system prompt and model settings for every chat. A member&apos;s own chat settings win; empty
            fields leave the model&apos;s own defaults.
          </p>
        </div>
        <ChatDefaultsForm defaults={compactSettings(settings.chatDefaults)} />
      </section>
      <section className="flex flex-col gap-3" aria-labelledby="title-model-heading">
        <div>
          <h2 id="title-model-heading" className="text-base font-semibold">
            Chat titles
          </h2>
          <p className="text-sm text-muted-foreground">
            A new chat is named after its first message. With a title model, that model names it after the first
            reply instead; a chat its owner renamed keeps their title.
          </p>
        </div>
        <TitleModelForm enabledModels={enabledModels.map(toModelOption)} titleModelId={settings.titleModelId} />
      </section>
    </div>
  );
}
