import { Chat } from "@/components/chat";
import { listUsableModels } from "@/lib/access/policy";
import { requirePageUser } from "@/lib/auth/session";
import { pickInitialModel } from "@/lib/chat/initial-model";
import { toModelOption } from "@/lib/redpill/model-option";

export default async function NewChatPage() {
  const user = await requirePageUser();
  const models = (await listUsableModels(user)).map(toModelOption);
  const id = crypto.randomUUID();
  return <Chat key={id} id={id} isNew initialMessages={[]} models={models} initialModelId={await pickInitialModel(models)} />;
}
