import { Chat } from "@/components/chat";
import { requirePageUser } from "@/lib/auth/session";
import { pickInitialModel } from "@/lib/chat/initial-model";
import { listEnabledModels } from "@/lib/db/models";
import { toModelOption } from "@/lib/redpill/model-option";

export default async function NewChatPage() {
  await requirePageUser();
  const models = (await listEnabledModels()).map(toModelOption);
  const id = crypto.randomUUID();
  return <Chat key={id} id={id} isNew initialMessages={[]} models={models} initialModelId={await pickInitialModel(models)} />;
}
