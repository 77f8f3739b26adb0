import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../tests/support/app-server";
import { ROOT, TEST_REDPILL_KEY } from "../../tests/support/constants";
import { stopChild, type ChildServer } from "./upstream";

/**
 * The bare Next 16 forward (bench/bare-forward: one route handler that returns the upstream body),
 * copied into a scratch folder named after a hash of its source and the Next version, with the
 * repository's node_modules linked in, and built there once.
 */
const TEMPLATE = path.join(ROOT, "bench", "bare-forward");
const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");

function templateFiles(dir = TEMPLATE): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? templateFiles(full) : [full];
  });
}

/** The deepest folder containing both (Turbopack compiles nothing outside its root, and node_modules is a link). */
function commonAncestor(a: string, b: string): string {
  const pa = a.split(path.sep);
  const pb = b.split(path.sep);
  let i = 0;
  while (i < pa.length && i < pb.length && pa[i] === pb[i]) i++;
  return pa.slice(0, i).join(path.sep) || path.sep;
}

/** Returns the folder of a built bare forward app, building it when this source has no build yet. */
export function buildBareApp(log: (line: string) => void): string {
  const hash = createHash("sha256");
  const nextVersion = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/next/package.json"), "utf8")) as { version: string }).version;
  hash.update(`${nextVersion}\0${fs.realpathSync(ROOT)}\0`);
  for (const file of templateFiles().sort()) hash.update(`${path.relative(TEMPLATE, file)}\0${fs.readFileSync(file, "utf8")}\0`);
  const dir = path.join(os.tmpdir(), `pillbox-bench-bare-${hash.digest("hex").slice(0, 16)}`);
  const marker = path.join(dir, ".bench-built");
  if (fs.existsSync(marker)) return dir;

  log(`building the bare forward app in ${dir} (once for this source) …`);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const file of templateFiles()) {
    const target = path.join(dir, path.relative(TEMPLATE, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: dir,
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      BARE_FORWARD_TURBOPACK_ROOT: commonAncestor(fs.realpathSync(dir), fs.realpathSync(ROOT)),
    },
  });
  if (build.status !== 0) throw new Error(`bare forward app: next build failed:\n${build.stdout}\n${build.stderr}`);
  fs.writeFileSync(marker, new Date().toISOString());
  return dir;
}

/** `next start` of the bare app (NODE_ENV=production), forwarding to `upstreamUrl` (ending in /v1). */
export async function startBareApp(dir: string, upstreamUrl: string): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [NEXT_BIN, "start", "--port", String(port)], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      REDPILL_BASE_URL: upstreamUrl,
      REDPILL_API_KEY: TEST_REDPILL_KEY,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`bare forward app exited:\n${printed}`);
    if (Date.now() > deadline) throw new Error(`bare forward app did not start:\n${printed}`);
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}
