/**
 * npx tsx bench/profile-summary.ts <file.cpuprofile> [--windows windows.json] [--top 30]
 *
 * Self time of a V8 CPU profile (node --cpu-prof), top N by function and by package. Positions in
 * Next's bundles (.next/server/…) are mapped through their source maps to the original file and
 * line, so bundled packages (ai, @ai-sdk/*, next-auth, Pillbox's own code) are told apart; the
 * original line's text stands in for a minified function name. Also total (inclusive) time: every
 * function and package on a sample's synchronous stack, once per sample. `--windows` (written by
 * `npm run bench -- --profile`) keeps only the samples taken during the measured phases: no
 * start-up, no warm-up.
 */
import fs from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { fmt, table } from "./concurrency/stats";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      children: z.array(z.number()).optional(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() }),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});
const windowsSchema = z.array(z.tuple([z.number(), z.number()]));

interface Place {
  /** Package (node_modules/<pkg>, next/dist/compiled/<pkg>), "pillbox <dir>", "node:<module>" or a V8 pseudo-frame. */
  pkg: string;
  /** Original file:line (1-based), mapped when the code is bundled. */
  where: string;
  /** A minified name is replaced by the original line's text. */
  name: string;
}

const ROOT = path.resolve(__dirname, "..");
const maps = new Map<string, { map: SourceMap; dir: string; contents: (string | null)[]; sources: string[] } | null>();

function sourceMapFor(file: string) {
  if (!maps.has(file)) {
    let entry = null;
    try {
      const payload = JSON.parse(fs.readFileSync(`${file}.map`, "utf8")) as SourceMapPayload & { sourcesContent?: (string | null)[] };
      entry = { map: new SourceMap(payload), dir: path.dirname(file), contents: payload.sourcesContent ?? [], sources: payload.sources };
    } catch {
      entry = null; // no map next to it
    }
    maps.set(file, entry);
  }
  return maps.get(file)!;
}

function packageOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep).join("/");
  const vendored = /node_modules\/next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (vendored) return `next/dist/compiled/${vendored[1]}`;
  const modules = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
  if (modules) return modules[1]!;
  if (rel.startsWith("..")) return file;
  const parts = rel.split("/");
  return `pillbox ${parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0]}`;
}

function place(frame: z.infer<typeof profileSchema>["nodes"][number]["callFrame"]): Place {
  const { functionName, url, lineNumber, columnNumber } = frame;
  if (!url) return { pkg: functionName.startsWith("(") ? functionName : "(native)", where: "", name: functionName || "(anonymous)" };
  if (url.startsWith("node:")) return { pkg: url.replace(/^node:(internal\/)?([^/]+).*/, "node:$2"), where: url, name: functionName || "(anonymous)" };
  if (url.startsWith("wasm:")) return { pkg: "(wasm)", where: url, name: functionName || "(anonymous)" };
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const mapped = file.includes(`${path.sep}.next${path.sep}`) ? sourceMapFor(file) : null;
  const entry = mapped?.map.findEntry(lineNumber, columnNumber);
  if (mapped && entry && "originalSource" in entry && entry.originalSource) {
    if (entry.originalSource.startsWith("turbopack:")) {
      return { pkg: "(turbopack runtime)", where: `${entry.originalSource}:${entry.originalLine + 1}`, name: functionName || "(anonymous)" };
    }
    const original = path.resolve(mapped.dir, decodeURIComponent(entry.originalSource));
    const index = mapped.sources.indexOf(entry.originalSource);
    const text = mapped.contents[index]?.split("\n")[entry.originalLine]?.trim().slice(0, 70) ?? "";
    const name = functionName.length > 2 ? functionName : text || functionName || "(anonymous)";
    return { pkg: packageOf(original), where: `${path.relative(ROOT, original)}:${entry.originalLine + 1}`, name };
  }
  return { pkg: packageOf(file), where: `${path.relative(ROOT, file)}:${lineNumber + 1}`, name: functionName || "(anonymous)" };
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { windows: { type: "string" }, top: { type: "string", default: "30" } },
  });
  const file = positionals[0];
  if (!file) {
    console.error("Usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--windows windows.json] [--top 30]");
    process.exit(2);
  }
  const top = z.coerce.number().int().min(1).parse(values.top);
  const profile = profileSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const windows = values.windows ? windowsSchema.parse(JSON.parse(fs.readFileSync(values.windows, "utf8"))) : null;

  // Sample i lasts until sample i + 1 (as Chrome DevTools counts it).
  const times: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((t += delta));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const places = new Map<number, Place>();
  const placeOf = (id: number) => places.get(id) ?? places.set(id, place(frames.get(id)!)).get(id)!;
  const keyOf = (p: Place) => `${p.name}\0${p.where}`;

  const selfByFunction = new Tally();
  const selfByPackage = new Tally();
  const totalByFunction = new Tally();
  const totalByPackage = new Tally();
  let idleUs = 0;
  let busyUs = 0;
  for (let i = 0; i < profile.samples.length - 1; i++) {
    const at = times[i]!;
    if (windows && !windows.some(([from, to]) => at >= from && at <= to)) continue;
    const us = times[i + 1]! - at;
    const leaf = placeOf(profile.samples[i]!);
    if (leaf.name === "(idle)") {
      idleUs += us;
      continue;
    }
    busyUs += us;
    selfByFunction.add(keyOf(leaf), leaf, us);
    selfByPackage.add(leaf.pkg, leaf, us);
    // Inclusive: every function and package on the (synchronous) stack, once per sample.
    const seenFunctions = new Set<string>();
    const seenPackages = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parents.get(id)) {
      const p = placeOf(id);
      // Node's internals, native frames (runMicrotasks is under every async continuation) and V8's pseudo-frames.
      if (p.pkg.startsWith("node:") || p.pkg.startsWith("(")) continue;
      if (!seenFunctions.has(keyOf(p))) {
        totalByFunction.add(keyOf(p), p, us);
        seenFunctions.add(keyOf(p));
      }
      if (!seenPackages.has(p.pkg)) {
        totalByPackage.add(p.pkg, p, us);
        seenPackages.add(p.pkg);
      }
    }
  }
  const pct = (us: number) => `${fmt((100 * us) / busyUs, 1)}%`;
  const windowed = windows ? `${windows.length} measured windows` : "the whole profile";
  console.log(`${path.basename(file)}: ${windowed}; main thread busy ${fmt(busyUs / 1000, 0)} ms, idle ${fmt(idleUs / 1000, 0)} ms (sampled)`);
  const packageTable = (title: string, tally: Tally) => {
    console.log(`\n${title} (top ${top}):`);
    console.log(table([["package", "ms", "share"], ...tally.top(top).map(({ key, us }) => [key, fmt(us / 1000, 0), pct(us)])]));
  };
  const functionTable = (title: string, tally: Tally) => {
    console.log(`\n${title} (top ${top}):`);
    const rows = tally.top(top).map(({ place: p, us }) => [p.name.slice(0, 60), fmt(us / 1000, 0), pct(us), p.pkg, p.where]);
    console.log(table([["function", "ms", "share", "package", "where"], ...rows]));
  };
  packageTable("Self time by package", selfByPackage);
  functionTable("Self time by function", selfByFunction);
  packageTable("Total time by package (self + synchronous callees; node: internals and native frames left out)", totalByPackage);
  functionTable("Total time by function (self + synchronous callees; node: internals and native frames left out)", totalByFunction);
}

class Tally {
  private readonly entries = new Map<string, { key: string; place: Place; us: number }>();

  add(key: string, place: Place, us: number): void {
    const entry = this.entries.get(key) ?? { key, place, us: 0 };
    entry.us += us;
    this.entries.set(key, entry);
  }

  top(n: number) {
    return [...this.entries.values()].sort((a, b) => b.us - a.us).slice(0, n);
  }
}

main();
