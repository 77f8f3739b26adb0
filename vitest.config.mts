import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "tests/support/empty.ts"),
    },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Builds the app once (next build) for every test that starts a server.
    globalSetup: ["tests/support/global-setup.ts"],
    pool: "forks",
    // Two files at a time: each starts its own servers, databases and browser, and spends most of
    // its time waiting on them. The one test that writes a .env file into the repository runs
    // alone afterwards (`npm test`), so no server starting meanwhile can read it.
    fileParallelism: true,
    maxWorkers: 2,
    // Generous: the embedded database is slow to migrate on a busy shared machine. A hang still fails.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
