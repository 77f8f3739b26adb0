// Running the build's `.next/standalone` folder the way a deployment does: copied out of the repository,
// owned by root, as an unprivileged user (nobody, when the tests run as root).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./app-server";
import { ROOT } from "./constants";

function idOf(flag: "-u" | "-g", user: string): number {
  return Number(spawnSync("id", [flag, user], { encoding: "utf8" }).stdout.trim());
}

// Root runs the server as nobody; anyone else already is an unprivileged user.
export const NOBODY = process.getuid?.() === 0 ? { uid: idOf("-u", "nobody"), gid: idOf("-g", "nobody") } : null;

/** `command` run as nobody when the tests run as root, else as is. */
export function unprivileged(command: string[]): string[] {
  return NOBODY ? ["setpriv", `--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, "--clear-groups", "--", ...command] : command;
}

export interface Standalone {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A copy of `.next/standalone` in a new folder under the system's temp dir, readable by all, writable by root only. */
export function copyStandalone(): { appDir: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-standalone-"));
  const appDir = path.join(root, "app");
  fs.cpSync(path.join(ROOT, ".next", "standalone"), appDir, { recursive: true });
  fs.chmodSync(root, 0o755);
  spawnSync("chmod", ["-R", "a+rX,go-w", root]);
  return { appDir, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** `node server.js` in `appDir` with only `env` (plus PATH, PORT, HOSTNAME), as an unprivileged user. */
export async function startStandalone(appDir: string, env: Record<string, string>): Promise<Standalone> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: "production",
    PORT: String(port),
    HOSTNAME: "127.0.0.1",
    ...env,
  };
  const [program, ...args] = unprivileged([process.execPath, "server.js"]);
  const child = spawn(program!, args, { cwd: appDir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let printed = "";
  child.stdout!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => printed,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resolves once /api/health answers 200; throws with the server's output if it exits first. */
export async function waitUntilLive(server: Pick<Standalone, "url" | "exited" | "output">): Promise<void> {
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the standalone server exited (${exitCode}):\n${server.output()}`);
    try {
      if ((await fetch(`${server.url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The TCP ports process `pid` listens on (its socket descriptors matched against /proc/net/tcp{,6}). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ["tcp", "tcp6"]) {
    const file = `/proc/${pid}/net/${table}`;
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is field 1 (addr:PORT in hex), st is field 3 (0A = LISTEN), inode is field 9.
      if (fields[3] === "0A" && inodes.has(fields[9]!)) ports.add(Number.parseInt(fields[1]!.split(":")[1]!, 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/** Paths, sizes and modification times of everything under `dir`. */
export function folderState(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const stat = fs.lstatSync(full);
      out.push(`${path.relative(dir, full)} ${stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}
