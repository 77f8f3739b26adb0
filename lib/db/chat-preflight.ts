import "server-only";
import type { UIMessage } from "ai";
import { db } from "@/lib/db/client";
import type { Budget, Chat, Model, User } from "@/lib/db/generated/client";
import type { MessageRole } from "@/lib/db/generated/enums";
import { BUDGET_JSON, MODEL_JSON, budgetFromJson, date, maybeDate, modelFromJson, type BudgetJson, type Json, type ModelJson } from "@/lib/db/json-rows";

/**
 * Everything POST /api/chat checks before it reserves a call, read in ONE round trip: the user,
 * the access rules of their groups (Everyone included), the model, the chat and its newest
 * HISTORY_WINDOW messages, the workspace settings and the budgets that bind the user. Each part is
 * what its own data-access function returns (getUserById, listAccessRulesForUser, getModel,
 * getChat, listMessages, getWorkspaceSettings' row, listBudgetsFor), in the same order, so the
 * same checks run on it.
 * Plain SQL: the ORM's query compiler and several pool round trips per chat request cost more CPU
 * than the reads themselves.
 */

/**
 * The newest messages of a chat that a request loads, at most: a longer chat's older turns would
 * not fit any model's context anyway (they are dropped before sending), and the read stays bounded.
 */
export const HISTORY_WINDOW = 400;

export interface AccessRuleRow {
  id: string;
  name: string;
  builtin: boolean;
  allModels: boolean;
  teeOnly: boolean;
  rpm: number | null;
  tpm: number | null;
  models: { modelId: string }[];
}

export interface ChatPreflight {
  user: User | null;
  rules: AccessRuleRow[];
  model: Model | null;
  chat: Chat | null;
  messages: UIMessage[];
  /** the stored workspace settings (JSON text), if any */
  settings: string | undefined;
  budgets: Budget[];
}

interface Row {
  user: Json<User, "disabledAt" | "deletedAt" | "createdAt" | "updatedAt"> | null;
  rules: AccessRuleRow[];
  model: ModelJson | null;
  chat: Json<Chat, "pinnedAt" | "createdAt" | "updatedAt"> | null;
  messages: { id: string; role: MessageRole; parts: UIMessage["parts"]; metadata: UIMessage["metadata"] | null }[];
  settings: string | null;
  budgets: BudgetJson[];
}

export async function readChatPreflight({
  userId,
  modelId,
  chatId,
}: {
  userId: string;
  modelId: string;
  chatId: string;
}): Promise<ChatPreflight> {
  const [row] = await db.$queryRaw<Row[]>`
    WITH rules AS (
      SELECT g."id", g."name", g."builtin", g."allModels", g."teeOnly", g."rpm", g."tpm"
      FROM "Group" g
      WHERE g."builtin" OR EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = g."id" AND m."userId" = ${userId}::uuid)
    )
    SELECT
      (SELECT jsonb_build_object(
          'id', u."id", 'email', u."email", 'name', u."name", 'passwordHash', u."passwordHash", 'role', u."role",
          'disabledAt', u."disabledAt", 'pendingApproval', u."pendingApproval", 'deletedAt', u."deletedAt",
          'sessionVersion', u."sessionVersion", 'rpm', u."rpm", 'tpm', u."tpm",
          'createdAt', u."createdAt", 'updatedAt', u."updatedAt")
        FROM "User" u WHERE u."id" = ${userId}::uuid) AS "user",
      (SELECT COALESCE(jsonb_agg(jsonb_build_object(
          'id', r."id", 'name', r."name", 'builtin', r."builtin", 'allModels', r."allModels", 'teeOnly', r."teeOnly",
          'rpm', r."rpm", 'tpm', r."tpm",
          'models', (SELECT COALESCE(jsonb_agg(jsonb_build_object('modelId', gm."modelId")), '[]'::jsonb)
                     FROM "GroupModel" gm WHERE gm."groupId" = r."id"))
          ORDER BY r."builtin" DESC, r."name" ASC), '[]'::jsonb)
        FROM rules r) AS "rules",
      (SELECT ${MODEL_JSON}
        FROM "Model" m WHERE m."id" = ${modelId}) AS "model",
      (SELECT jsonb_build_object(
          'id', c."id", 'userId', c."userId", 'title', c."title", 'modelId', c."modelId", 'pinnedAt', c."pinnedAt",
          'settings', c."settings", 'createdAt', c."createdAt", 'updatedAt', c."updatedAt")
        FROM "Chat" c WHERE c."id" = ${chatId}::uuid) AS "chat",
      (SELECT COALESCE(jsonb_agg(jsonb_build_object(
          'id', msg."id", 'role', msg."role", 'parts', msg."parts", 'metadata', msg."metadata") ORDER BY msg."createdAt" ASC), '[]'::jsonb)
        FROM (SELECT * FROM "Message" WHERE "chatId" = ${chatId}::uuid
              ORDER BY "createdAt" DESC LIMIT ${HISTORY_WINDOW}) msg) AS "messages",
      (SELECT s."value" FROM "Setting" s WHERE s."key" = 'workspace') AS "settings",
      (SELECT COALESCE(jsonb_agg(${BUDGET_JSON}
          ORDER BY b."id" ASC), '[]'::jsonb)
        FROM "Budget" b
        WHERE b."scope" = 'workspace'
          OR (b."scope" = 'user' AND b."targetId" = ${userId}::uuid)
          OR (b."scope" = 'group' AND b."targetId" IN (SELECT r."id" FROM rules r))) AS "budgets"`;
  if (!row) throw new Error("the chat pre-flight query returned no row");
  const { user, model, chat } = row;
  return {
    user: user && {
      ...user,
      disabledAt: maybeDate(user.disabledAt),
      deletedAt: maybeDate(user.deletedAt),
      createdAt: date(user.createdAt),
      updatedAt: date(user.updatedAt),
    },
    rules: row.rules,
    model: model && modelFromJson(model),
    chat: chat && {
      ...chat,
      pinnedAt: maybeDate(chat.pinnedAt),
      createdAt: date(chat.createdAt),
      updatedAt: date(chat.updatedAt),
    },
    messages: row.messages.map(({ metadata, ...message }) => ({ ...message, ...(metadata == null ? {} : { metadata }) })),
    settings: row.settings ?? undefined,
    budgets: row.budgets.map(budgetFromJson),
  };
}
