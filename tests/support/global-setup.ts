import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, TEST_REDPILL_KEY } from "./constants";
import { prepareDatabaseTemplates } from "./db-template";
import { blankEnvFileVariables } from "./isolated-env";

/**
 * One production build for every server the tests start. It is made with the test key in the
 * environment, so the key-custody test can prove the key is not baked into any client file.
 * PILLBOX_TEST_REUSE_BUILD=1 skips the build when one exists (local iteration only).
 */
export default async function setup(): Promise<void> {
  buildOnce();
  await prepareDatabaseTemplates();
}

function buildOnce(): void {
  const hasBuild = fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"));
  if (process.env.PILLBOX_TEST_REUSE_BUILD === "1" && hasBuild) {
    console.log("[tests] reusing the existing .next build (PILLBOX_TEST_REUSE_BUILD=1)");
    completeStandalone();
    return;
  }
  console.log("[tests] building the app (next build)…");
  const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...blankEnvFileVariables(),
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      REDPILL_API_KEY: TEST_REDPILL_KEY,
      PILLBOX_DATA_DIR: path.join(ROOT, ".next", "build-data"),
    },
  });
  if (build.status !== 0) throw new Error("next build failed");
  completeStandalone();
}

/** The rest of `npm run build`: completes .next/standalone (tests/cli/standalone.test.ts runs it). */
function completeStandalone(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/standalone.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error("scripts/standalone.mjs failed");
}
