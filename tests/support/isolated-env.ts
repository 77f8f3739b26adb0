import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./constants";

/** The .env files `next start` and scripts/load-env.ts (both through @next/env) would read. */
const ENV_FILES = [".env", ".env.local", ".env.production", ".env.production.local", ".env.example"];

/**
 * Every variable a .env file in the repository (or .env.example) names, set to "" (= unset for
 * lib/env.ts). @next/env never overrides a variable that is already in the environment, even an
 * empty one, so a developer's .env cannot leak into the servers and commands the tests start.
 * Spread it first; the test's own values go after it.
 */
export function blankEnvFileVariables(): Record<string, string> {
  const names = new Set<string>();
  for (const file of ENV_FILES) {
    const full = path.join(ROOT, file);
    if (!fs.existsSync(full)) continue;
    for (const match of fs.readFileSync(full, "utf8").matchAll(/^\s*#?\s*(?:export\s+)?([A-Z][A-Z0-9_]*)\s*=/gm)) {
      names.add(match[1]!);
    }
  }
  return Object.fromEntries([...names].map((name) => [name, ""]));
}
