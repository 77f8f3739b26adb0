import "server-only";
import { ensureAuthSecret } from "@/lib/auth/secret";
import { setupLink, setupTokenRequired } from "@/lib/auth/setup-token";
import { getDatabase } from "@/lib/db/client";
import { countUsers } from "@/lib/db/users";
import { migrateDatabase } from "@/lib/db/migrate-cli";
import { assertSchemaMatchesCode } from "@/lib/db/schema-version";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { syncCatalog } from "@/lib/redpill/catalog";
import { demoUpstreamKey, setInProcessUpstream } from "@/lib/redpill/upstream";
import { startUsageSweeper } from "@/lib/usage/ledger";

/**
 * Before the first request: the database's migrations (applied first with PILLBOX_MIGRATE_ON_START;
 * a database newer than this build, or one missing migrations, stops the server), the session secret (from the database when not configured), the
 * built-in fake RedPill in demo mode, the usage sweeper, then the model catalog.
 */
export async function startServerInstance(): Promise<void> {
  if (env.PILLBOX_MIGRATE_ON_START) {
    getDatabase(); // migrateDatabase then uses this process's connection (the embedded database has one owner)
    await migrateDatabase((message) => log.info(message));
  }
  await assertSchemaMatchesCode();
  await ensureAuthSecret();
  if (setupTokenRequired() && (await countUsers()) === 0) {
    log.info(`first-run setup: open ${setupLink()} to create the admin account (PILLBOX_SETUP_TOKEN is set)`);
  }
  if (env.demoMode && !process.env.PILLBOX_DEMO_UPSTREAM_URL) {
    const { startFakeRedpill } = await import("@/lib/fake-redpill");
    const fake = await startFakeRedpill({
      apiKey: demoUpstreamKey(),
      chunkDelayMs: env.PILLBOX_DEMO_DELAY_MS,
      replyStyle: "demo",
      catalogSize: env.PILLBOX_DEMO_MODELS,
      quiet: true,
      // A serverless function cannot count on a port of its own: the fake answers in-process.
      listen: !env.PILLBOX_DEMO_IN_PROCESS,
    });
    if (env.PILLBOX_DEMO_IN_PROCESS) setInProcessUpstream(fake.url, fake.fetch);
    else process.env.PILLBOX_DEMO_UPSTREAM_URL = fake.url;
    log.info("demo mode: REDPILL_API_KEY is not set, replies come from the built-in simulated RedPill", {
      inProcess: env.PILLBOX_DEMO_IN_PROCESS,
    });
  }
  // Usage rows a crash or restart left pending are settled now and then every so often.
  startUsageSweeper({ idleMs: env.PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS });
  try {
    const { count } = await syncCatalog();
    log.info("model catalog synced", { count });
  } catch (err) {
    log.warn("model catalog sync failed; using the models already in the database", { err });
  }
}
