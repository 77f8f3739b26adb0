import { Chat } from "@/components/chat";
import { attachmentLimits } from "@/lib/attachments/store";
import { listUsableModels } from "@/lib/access/policy";
import { requirePageUser } from "@/lib/auth/session";
import { pickInitialModel } from "@/lib/chat/initial-model";
import { compactSettings } from "@/lib/chat/settings";
import { toModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

export default async function NewChatPage() {
  const user = await requirePageUser();
  const [usable, workspace] = await Promise.all([listUsableModels(user), getWorkspaceSettings()]);
  const models = usable.map(toModelOption);
  const id = crypto.randomUUID();
  return (
    <Chat
      key={id}
      id={id}
      isNew
      initialMessages={[]}
      models={models}
      initialModelId={await pickInitialModel(models)}
      settingDefaults={compactSettings(workspace.chatDefaults)}
      attachmentLimits={attachmentLimits()}
    />
  );
}
