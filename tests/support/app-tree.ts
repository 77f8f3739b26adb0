import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./constants";

/** What the app directory holds: every route handler method, every page, every server action. */

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** app/(chat)/chat/[id]/page.tsx → /chat/[id]; route groups `(x)` do not appear in URLs. */
export function urlPattern(file: string): string {
  const dirs = path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep);
  const segments = dirs.filter((d) => d !== "" && !(d.startsWith("(") && d.endsWith(")")));
  return `/${segments.join("/")}`;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** The HTTP methods a route.ts exports, in any of the forms the codebase uses. */
export function exportedMethods(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+(\w+)/g)) names.add(m[1]!);
  // export const { GET, POST } = handlers;
  for (const m of source.matchAll(/export\s+const\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) names.add(part.split(":").at(-1)!.trim());
  }
  // export { notFound as GET, … };
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) names.add(part.split(/\s+as\s+/).at(-1)!.trim());
  }
  return METHODS.filter((method) => names.has(method));
}

/** "GET /api/chats/[id]" for every method of every route handler. */
export function routeHandlers(): string[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => path.basename(f) === "route.ts")
    .flatMap((f) => exportedMethods(fs.readFileSync(f, "utf8")).map((method) => `${method} ${urlPattern(f)}`))
    .sort();
}

/** Every page's folders under app/, route groups included: ["(chat)", "chat", "[id]"]. */
export function pageSegments(): Map<string, string[]> {
  return new Map(
    walk(path.join(ROOT, "app"))
      .filter((f) => path.basename(f) === "page.tsx")
      .map((f) => {
        const dirs = path.relative(path.join(ROOT, "app"), path.dirname(f)).split(path.sep).filter(Boolean);
        return [urlPattern(f), dirs] as const;
      }),
  );
}

/** "/admin/usage" for every page.tsx. */
export function pages(): string[] {
  return walk(path.join(ROOT, "app"))
    .filter((f) => path.basename(f) === "page.tsx")
    .map(urlPattern)
    .sort();
}

export interface ServerAction {
  /** "app/admin/users/actions.ts#createUserAction" */
  key: string;
  file: string;
  name: string;
  /** The function's source, from its `export` to the next top-level export. */
  body: string;
}

/** Every exported function of every module that starts with "use server". */
export function serverActions(): ServerAction[] {
  const files = [...walk(path.join(ROOT, "app")), ...walk(path.join(ROOT, "lib")), ...walk(path.join(ROOT, "components"))]
    .filter((f) => /\.(ts|tsx)$/.test(f) && !f.includes(`${path.sep}generated${path.sep}`))
    .filter((f) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(fs.readFileSync(f, "utf8")));
  return files.flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    const rel = path.relative(ROOT, file).split(path.sep).join("/");
    const starts = [...source.matchAll(/^export\s+(?:async\s+)?function\s+(\w+)|^export\s+const\s+(\w+)\s*=/gm)];
    return starts.map((m) => {
      const name = (m[1] ?? m[2])!;
      const next = source.slice(m.index + 1).search(/^export\s/m);
      const body = next === -1 ? source.slice(m.index) : source.slice(m.index, m.index + 1 + next);
      return { key: `${rel}#${name}`, file: rel, name, body };
    });
  });
}

/** Which page URL serves each built server action (from the build's manifest), by key. */
export function builtActionIds(): Map<string, { id: string; page: string }> {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8"),
  ) as { node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> };
  const found = new Map<string, { id: string; page: string }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    const worker = Object.keys(entry.workers).find((w) => w.endsWith("/page"))!;
    const page = urlPattern(path.join(ROOT, `${worker}.tsx`));
    found.set(`${entry.filename}#${entry.exportedName}`, { id, page });
  }
  return found;
}
