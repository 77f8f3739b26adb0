import "server-only";
import { cookies } from "next/headers";
import { MODEL_COOKIE } from "@/lib/chat/model-cookie";
import type { ModelOption } from "@/lib/redpill/model-option";
import { getWorkspaceSettings } from "@/lib/workspace/settings";

/**
 * The chat's own model if still allowed, else the user's last pick, else the workspace's default
 * model for new chats, else the first model. `models` are the ones the user may use.
 */
export async function pickInitialModel(models: ModelOption[], preferred?: string | null) {
  const remembered = (await cookies()).get(MODEL_COOKIE)?.value;
  const { defaultModelId } = await getWorkspaceSettings();
  for (const candidate of [preferred, remembered, defaultModelId]) {
    const match = models.find((m) => m.id === candidate);
    if (match) return match.id;
  }
  return models[0]?.id ?? null;
}
