import "server-only";
import { db } from "@/lib/db/client";
import { Prisma, type Budget, type Model, type User } from "@/lib/db/generated/client";
import type { AccessRuleRow } from "@/lib/db/chat-preflight";
import { BUDGET_JSON, MODEL_JSON, budgetFromJson, maybeDate, modelFromJson, type BudgetJson, type ModelJson, type Stamp } from "@/lib/db/json-rows";

/**
 * Everything an OpenAI-compatible API call checks, read in ONE round trip from the key's secret:
 * the key (found by its prefix and hash), its user, the access rules of their groups (Everyone
 * included), the model, the workspace settings and the budgets that bind the user. The same
 * statement stamps the key's last-used time, at most once a minute, so a busy key writes rarely.
 * Plain SQL, as for the chat's pre-flight read (lib/db/chat-preflight.ts).
 */

export interface GatewayKey {
  id: string;
  userId: string;
  revoked: boolean;
  expired: boolean;
  expiresAt: Date | null;
}

export type GatewayUser = Pick<User, "id" | "email" | "role" | "disabledAt" | "deletedAt" | "pendingApproval" | "rpm" | "tpm">;
export type GatewayRule = AccessRuleRow & { apiAccess: boolean };

export interface GatewayPreflight {
  key: GatewayKey | null;
  user: GatewayUser | null;
  rules: GatewayRule[];
  model: Model | null;
  settings: string | undefined;
  budgets: Budget[];
}


interface Row {
  key: { id: string; userId: string; revoked: boolean; expired: boolean; expiresAt: Stamp | null } | null;
  user: (Omit<GatewayUser, "disabledAt" | "deletedAt"> & { disabledAt: Stamp | null; deletedAt: Stamp | null }) | null;
  rules: GatewayRule[];
  model: ModelJson | null;
  settings: string | null;
  budgets: BudgetJson[];
}

const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

export async function readGatewayPreflight({
  prefix,
  secretHash,
  modelId,
}: {
  prefix: string;
  secretHash: string;
  /** null: no model to check (the model list, an attestation without one) */
  modelId: string | null;
}): Promise<GatewayPreflight> {
  const [row] = await db.$queryRaw<Row[]>`
    WITH k AS (
      SELECT a."id", a."userId", a."expiresAt", a."revokedAt", a."lastUsedAt"
      FROM "ApiKey" a WHERE a."prefix" = ${prefix} AND a."secretHash" = ${secretHash}
    ),
    touched AS (
      UPDATE "ApiKey" SET "lastUsedAt" = ${NOW}
      WHERE "id" = (SELECT "id" FROM k) AND "revokedAt" IS NULL
        AND ("expiresAt" IS NULL OR "expiresAt" > ${NOW})
        AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ${NOW} - interval '1 minute')
      RETURNING 1
    ),
    rules AS (
      SELECT g."id", g."name", g."builtin", g."allModels", g."teeOnly", g."apiAccess", g."rpm", g."tpm"
      FROM "Group" g
      WHERE g."builtin" OR EXISTS (
        SELECT 1 FROM "GroupMember" m WHERE m."groupId" = g."id" AND m."userId" = (SELECT "userId" FROM k))
    )
    SELECT
      (SELECT jsonb_build_object('id', k."id", 'userId', k."userId", 'revoked', k."revokedAt" IS NOT NULL,
          'expired', k."expiresAt" IS NOT NULL AND k."expiresAt" <= ${NOW}, 'expiresAt', k."expiresAt")
        FROM k) AS "key",
      (SELECT jsonb_build_object(
          'id', u."id", 'email', u."email", 'role', u."role", 'disabledAt', u."disabledAt", 'deletedAt', u."deletedAt",
          'pendingApproval', u."pendingApproval", 'rpm', u."rpm", 'tpm', u."tpm")
        FROM "User" u WHERE u."id" = (SELECT "userId" FROM k)) AS "user",
      (SELECT COALESCE(jsonb_agg(jsonb_build_object(
          'id', r."id", 'name', r."name", 'builtin', r."builtin", 'allModels', r."allModels", 'teeOnly', r."teeOnly",
          'apiAccess', r."apiAccess", 'rpm', r."rpm", 'tpm', r."tpm",
          'models', (SELECT COALESCE(jsonb_agg(jsonb_build_object('modelId', gm."modelId")), '[]'::jsonb)
                     FROM "GroupModel" gm WHERE gm."groupId" = r."id"))
          ORDER BY r."builtin" DESC, r."name" ASC), '[]'::jsonb)
        FROM rules r WHERE EXISTS (SELECT 1 FROM k)) AS "rules",
      (SELECT ${MODEL_JSON}
        FROM "Model" m WHERE m."id" = ${modelId ?? ""}) AS "model",
      (SELECT s."value" FROM "Setting" s WHERE s."key" = 'workspace') AS "settings",
      (SELECT COALESCE(jsonb_agg(${BUDGET_JSON}
          ORDER BY b."id" ASC), '[]'::jsonb)
        FROM "Budget" b
        WHERE EXISTS (SELECT 1 FROM k) AND (b."scope" = 'workspace'
          OR (b."scope" = 'user' AND b."targetId" = (SELECT "userId" FROM k))
          OR (b."scope" = 'group' AND b."targetId" IN (SELECT r."id" FROM rules r)))) AS "budgets"`;
  if (!row) throw new Error("the gateway pre-flight query returned no row");
  const { key, user, model } = row;
  return {
    key: key && { ...key, expiresAt: maybeDate(key.expiresAt) },
    user: user && { ...user, disabledAt: maybeDate(user.disabledAt), deletedAt: maybeDate(user.deletedAt) },
    rules: row.rules,
    model: model && modelFromJson(model),
    settings: row.settings ?? undefined,
    budgets: row.budgets.map(budgetFromJson),
  };
}
