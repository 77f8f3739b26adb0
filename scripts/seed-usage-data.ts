/**
 * Fills PostgreSQL with realistic usage rows for the dashboard benchmark: ~50 users in a few
 * groups, 30 models with real-looking prices, rows spread over the last 90 days, mostly `ok`.
 * Everything is generated inside PostgreSQL (INSERT … SELECT over generate_series), in batches.
 */
import pg from "pg";

export const SEED_USERS = 50;
export const SEED_MODELS = 30;
export const SEED_GROUPS = ["Engineering", "Research", "Sales", "Support"];
const EVERYONE = "00000000-0000-4000-8000-000000000001";
const BATCH = 100_000;

/** Seed users, groups, memberships and models (idempotent), then lookup tables for the row generator. */
const SETUP_STATEMENTS = [
  `INSERT INTO "User" ("id", "email", "name", "role", "updatedAt")
SELECT gen_random_uuid(), 'seed-user-' || lpad(i::text, 2, '0') || '@example.com', 'Seed User ' || i, 'MEMBER', now()
FROM generate_series(1, ${SEED_USERS}) AS i
ON CONFLICT ("email") DO NOTHING`,
  `INSERT INTO "Group" ("id", "name", "updatedAt")
SELECT gen_random_uuid(), name, now() FROM unnest($1::text[]) AS name
ON CONFLICT ("name") DO NOTHING`,
  `-- seed user i belongs to group i mod 4, and every fifth user to a second group as well
INSERT INTO "GroupMember" ("groupId", "userId")
SELECT g."id", u."id"
FROM (SELECT "id", row_number() OVER (ORDER BY "email") AS n FROM "User" WHERE "email" LIKE 'seed-user-%') u
JOIN (SELECT "id", row_number() OVER (ORDER BY "name") - 1 AS k FROM "Group" WHERE "name" = ANY($1::text[])) g
  ON g.k = u.n % 4 OR (u.n % 5 = 0 AND g.k = (u.n + 1) % 4)
ON CONFLICT DO NOTHING`,
  `INSERT INTO "Model" ("id", "name", "promptPrice", "completionPrice", "inputModalities", "updatedAt")
SELECT 'seed/model-' || lpad(i::text, 2, '0'), 'Seed Model ' || i,
       (0.00000015 * (1 + i % 10))::numeric, (0.0000006 * (1 + i % 10))::numeric, ARRAY['text'], now()
FROM generate_series(1, ${SEED_MODELS}) AS i
ON CONFLICT ("id") DO NOTHING`,
  `DROP TABLE IF EXISTS seed_users;
CREATE TEMP TABLE seed_users AS
SELECT row_number() OVER (ORDER BY u."email") - 1 AS n, u."id",
       ARRAY['${EVERYONE}'::uuid] || coalesce(array_agg(gm."groupId") FILTER (WHERE gm."groupId" IS NOT NULL), '{}') AS "groupIds"
FROM "User" u LEFT JOIN "GroupMember" gm ON gm."userId" = u."id"
WHERE u."email" LIKE 'seed-user-%' GROUP BY u."id", u."email"`,
  `DROP TABLE IF EXISTS seed_models;
CREATE TEMP TABLE seed_models AS
SELECT row_number() OVER (ORDER BY "id") - 1 AS n, "id", "promptPrice", "completionPrice"
FROM "Model" WHERE "id" LIKE 'seed/model-%'`,
];

// A few heavy users and popular models (skewed picks); statuses ~93% ok, 3% error, 2.5% aborted,
// 1.5% interrupted; error rows have no completion and cost nothing.
const BATCH_SQL = `
INSERT INTO "UsageRecord" ("id", "userId", "groupIds", "chatId", "modelId", "promptTokens", "completionTokens",
  "cachedTokens", "reasoningTokens", "usageEstimated", "promptPrice", "completionPrice", "reservedUsd", "costUsd",
  "ttftMs", "durationMs", "status", "errorCode", "upstreamId", "createdAt", "settledAt")
SELECT gen_random_uuid(), u."id", u."groupIds", gen_random_uuid(), m."id", x.pt, y.ct,
       CASE WHEN x.s < 0.3 THEN x.pt / 4 END, NULL, y.status = 'interrupted',
       m."promptPrice", m."completionPrice",
       round(x.pt * m."promptPrice" + 4096 * m."completionPrice", 10),
       CASE WHEN y.status = 'error' THEN 0 ELSE round(x.pt * m."promptPrice" + y.ct * m."completionPrice", 10) END,
       CASE WHEN y.status <> 'error' THEN x.ttft END,
       CASE WHEN y.status = 'error' THEN x.ttft / 2 ELSE x.ttft + y.ct * 12 END,
       y.status::"UsageStatus",
       CASE WHEN y.status = 'error' THEN 'upstream_500' END,
       'gen-' || substr(md5(random()::text), 1, 16), x.at, x.at + make_interval(secs => x.ttft / 1000.0)
FROM (
  SELECT floor(power(random(), 2) * ${SEED_USERS})::int AS un,
         floor(power(random(), 2) * ${SEED_MODELS})::int AS mn,
         random() AS s,
         (50 + floor(random() * 3000))::int AS pt,
         (5 + floor(random() * 900))::int AS ct0,
         (150 + floor(random() * random() * 2500))::int AS ttft,
         -- in time order, like a live ledger: row n of the whole run at n/total through the 90 days
         (now() AT TIME ZONE 'UTC') - interval '90 days' + (($2::int + g)::float8 / $3::int) * interval '90 days' AS at
  FROM generate_series(1, $1::int) AS g
) x
CROSS JOIN LATERAL (
  SELECT CASE WHEN x.s < 0.93 THEN 'ok' WHEN x.s < 0.96 THEN 'error' WHEN x.s < 0.985 THEN 'aborted' ELSE 'interrupted' END AS status,
         CASE WHEN x.s >= 0.93 AND x.s < 0.96 THEN 0 ELSE x.ct0 END AS ct
) y
JOIN seed_users u ON u.n = x.un
JOIN seed_models m ON m.n = x.mn
ORDER BY x.at`;

export async function seedUsage({
  databaseUrl,
  rows,
  log = console.log,
}: {
  databaseUrl: string;
  rows: number;
  log?: (message: string) => void;
}): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const sql of SETUP_STATEMENTS) await client.query(sql, sql.includes("$1") ? [SEED_GROUPS] : undefined);
    const started = Date.now();
    for (let done = 0; done < rows; ) {
      const batch = Math.min(BATCH, rows - done);
      await client.query(BATCH_SQL, [batch, done, rows]);
      done += batch;
      log(`seed:usage ${done.toLocaleString("en-US")} / ${rows.toLocaleString("en-US")} rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    await client.query(`VACUUM ANALYZE "UsageRecord"`);
  } finally {
    await client.end();
  }
}
