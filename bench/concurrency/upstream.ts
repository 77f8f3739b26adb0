import { spawn, type ChildProcess } from "node:child_process";
import { ROOT, TEST_REDPILL_KEY } from "../../tests/support/constants";

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Stops a child process: SIGTERM, then SIGKILL after 5 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The fake RedPill in its own process (scripts/fake-redpill.ts), so that serving 500 streams does
 * not share an event loop with the client that times them. Its URL ends in /v1.
 */
export async function startFakeProcess(): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/fake-redpill.ts", "--port", "0", "--key", TEST_REDPILL_KEY, "--quiet"],
    { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let printed = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /listening on (\S+)/.exec(printed);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", () => reject(new Error(`fake RedPill exited:\n${printed}`)));
  });
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}
