import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
/** The RedPill key every test server is given. Tests assert it never leaves the server. */
export const TEST_REDPILL_KEY = "sk-pillbox-test-key-7f3a9c1e5b2d4f6a8c0e";
export const PG_ADMIN_URL = process.env.PILLBOX_TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
