import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * AUTH_SECRET when the environment has none: generated on first run and kept in the data
 * directory so sessions survive restarts. Several instances must share one secret: set
 * AUTH_SECRET explicitly for those (README, "Running several instances").
 */
export function resolveAuthSecret(dataDir: string): string {
  const file = path.resolve(dataDir, "auth-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first run: fall through and create it
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    // another process created it between our read and write: use theirs
    return fs.readFileSync(file, "utf8").trim();
  }
}
