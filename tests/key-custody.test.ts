import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, TEST_REDPILL_KEY } from "./support/constants";

function* files(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full; // symlinks (standalone's .next/node_modules) point into the tree
  }
}

/** The build in global setup ran with the key in its environment: none of it may be baked in. */
describe("key custody in the build", () => {
  it("has no trace of the key in the browser bundle, the prerendered server output or the deployable standalone folder", () => {
    let scanned = 0;
    for (const dir of ["static", "server", "standalone"]) {
      for (const file of files(path.join(ROOT, ".next", dir))) {
        scanned++;
        expect(fs.readFileSync(file).includes(TEST_REDPILL_KEY), file).toBe(false);
      }
    }
    expect(scanned).toBeGreaterThan(20);
  });

  it("reads the key only in server-only modules", () => {
    const offenders: string[] = [];
    for (const dir of ["app", "components", "lib"]) {
      for (const file of files(path.join(ROOT, dir))) {
        if (!/\.(ts|tsx)$/.test(file) || file.includes(`${path.sep}generated${path.sep}`)) continue;
        const text = fs.readFileSync(file, "utf8");
        if (text.includes("REDPILL_API_KEY") && /process\.env|env\./.test(text) && !text.includes('import "server-only"')) {
          offenders.push(path.relative(ROOT, file));
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
