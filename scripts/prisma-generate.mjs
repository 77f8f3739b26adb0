// postinstall: generate the Prisma Client into lib/db/generated.
// Prisma 7's CLI insists on downloading a native schema engine before `generate`, which never uses it
// (and which cannot be downloaded here). Pointing PRISMA_SCHEMA_ENGINE_BINARY at a stub skips the download.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const win = process.platform === "win32";
const prismaBin = path.join(root, "node_modules", ".bin", win ? "prisma.cmd" : "prisma");

if (!existsSync(prismaBin)) {
  console.error(`prisma-generate: ${prismaBin} not found; run npm install first.`);
  process.exit(1);
}

function stubEngine() {
  const name = win ? "schema-engine-stub.cmd" : "schema-engine-stub";
  const script = win ? "@exit /b 0\r\n" : "#!/bin/sh\n# Stands in for Prisma's native schema engine; `prisma generate` never runs it.\nexit 0\n";
  for (const dir of [path.join(root, "node_modules", ".cache", "pillbox"), path.join(os.tmpdir(), "pillbox-prisma")]) {
    try {
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name);
      writeFileSync(file, script);
      chmodSync(file, 0o755);
      return file;
    } catch {
      // read-only location: try the next one
    }
  }
  throw new Error("prisma-generate: could not write a schema engine stub");
}

const env = {
  ...process.env,
  // Respect a real engine if the developer has one configured.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || stubEngine(),
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};

const result = spawnSync(prismaBin, ["generate"], { cwd: root, env, stdio: "inherit", shell: win });
if (result.error) {
  console.error("prisma-generate:", result.error.message);
  process.exit(1);
}
process.exit(result.status ?? 1);
