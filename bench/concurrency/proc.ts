import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU time and resident memory of a server process and its descendants, from /proc (Linux only).
 * `next start` serves from the process it was started as (checked: no children), but children are
 * summed in case a configuration adds workers.
 */

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null; // the process (or thread) is gone
  }
}

/** The pid and every live descendant (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${tree[i]}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      const children = readOrNull(`/proc/${tree[i]}/task/${tid}/children`);
      for (const child of children?.trim().split(/\s+/) ?? []) if (child) tree.push(Number(child));
    }
  }
  return tree;
}

/** utime + stime (fields 14 and 15 of /proc/<pid>/stat) of the process tree, in milliseconds. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    const stat = readOrNull(`/proc/${p}/stat`);
    if (!stat) continue;
    // Fields after the command name (which may contain spaces) start with field 3, the state.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[14 - 3]) + Number(fields[15 - 3]);
  }
  return (ticks * 1000) / clockTicks();
}

/** VmRSS of the process tree, in KiB. */
export function rssKiB(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readOrNull(`/proc/${p}/status`) ?? "");
    if (match) total += Number(match[1]);
  }
  return total;
}

/** Samples a process tree's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = rssKiB(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssKiB(pid))), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, rssKiB(pid));
    },
  };
}

/**
 * Waits until a process tree has stopped using CPU (at most one tick per 250 ms), e.g. for the
 * writes Pillbox makes after a stream ended, so they count for the requests that caused them.
 */
export async function settled(pid: number, maxMs = 5_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let last = cpuMs(pid);
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuMs(pid);
    if (now - last <= 1000 / clockTicks()) return;
    last = now;
  }
}
