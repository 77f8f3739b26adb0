import { AdminModels, type AdminModelRow } from "@/components/admin-models";
import { AdminPageHeader } from "@/components/admin-page-header";
import { RefreshModelsButton } from "@/components/admin-models-refresh";
import { requirePageAdmin } from "@/lib/auth/session";
import { listAllModels } from "@/lib/db/models";
import { toModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export const metadata = { title: "Models · Pillbox admin" };

export default async function ModelsPage() {
  await requirePageAdmin();
  const [models, settings] = await Promise.all([listAllModels(), getWorkspaceSettings()]);
  const rows: AdminModelRow[] = models.map((model) => ({ ...toModelOption(model), enabled: model.enabled }));
  return (
    <div className="flex flex-col gap-4">
      <AdminPageHeader title="Models" actions={<RefreshModelsButton />}>
        RedPill&apos;s catalog. Disabled models are hidden from everyone; groups narrow the rest.
      </AdminPageHeader>
      <AdminModels
        models={rows}
        autoEnableNewModels={settings.autoEnableNewModels}
        defaultModelId={settings.defaultModelId}
      />
    </div>
  );
}
