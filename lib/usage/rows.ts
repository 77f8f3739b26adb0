import "server-only";
import type { UsageStatus } from "@/lib/db/generated/enums";
import { listRecentUsage } from "@/lib/db/usage";

/** A usage record as the admin table and the admin API show it. */
export interface UsageRow {
  id: string;
  createdAt: string;
  userEmail: string;
  userName: string;
  /** the user's groups when the call was made */
  groupIds: string[];
  modelId: string;
  status: UsageStatus;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  usageEstimated: boolean;
  costUsd: string;
  ttftMs: number | null;
  durationMs: number;
  chatId: string | null;
}

export async function latestUsageRows({ limit }: { limit: number }): Promise<UsageRow[]> {
  const records = await listRecentUsage({ limit });
  return records.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    userEmail: r.user.email,
    userName: r.user.name,
    groupIds: r.groupIds,
    modelId: r.modelId,
    status: r.status,
    errorCode: r.errorCode,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    usageEstimated: r.usageEstimated,
    costUsd: r.costUsd.toFixed(10),
    ttftMs: r.ttftMs,
    durationMs: r.durationMs,
    chatId: r.chatId,
  }));
}
