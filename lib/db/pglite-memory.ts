// In-memory PGlite databases (DATABASE_URL=memory://, i.e. tests). Creating one runs initdb in WebAssembly,
// about 5 s on a small machine; a pristine cluster is therefore saved once in the OS temp dir (keyed by the
// PGlite version) and later databases start from it in about 1 s.
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

let template: Promise<Blob | undefined> | undefined;

async function templateFile(): Promise<string> {
  // Looked up from the working directory (the project root) rather than resolved: bundlers rewrite resolve().
  const manifest = path.join(process.cwd(), "node_modules", "@electric-sql", "pglite", "package.json");
  const { version } = JSON.parse(await readFile(/*turbopackIgnore: true*/ manifest, "utf8")) as { version: string };
  return path.join(os.tmpdir(), `pillbox-pglite-${version}-template.tar.gz`);
}

async function loadTemplate(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(await templateFile())]);
  } catch {
    return undefined;
  }
}

async function saveTemplate(db: PGlite): Promise<Blob | undefined> {
  try {
    const blob = await db.dumpDataDir("gzip");
    const file = await templateFile();
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, file); // atomic: concurrent test processes never read half a file
    return blob;
  } catch {
    return undefined;
  }
}

export async function createMemoryPGlite(): Promise<PGlite> {
  template ??= loadTemplate();
  const blob = await template;
  if (blob) {
    try {
      const db = new PGlite({ loadDataDir: blob });
      await db.waitReady;
      return db;
    } catch {
      template = undefined; // unusable: make a new one below
      await rm(await templateFile(), { force: true }).catch(() => undefined);
    }
  }
  const db = new PGlite();
  await db.waitReady;
  // Dumped before anyone writes to it, so the template stays an empty cluster.
  template = saveTemplate(db);
  await template;
  return db;
}
