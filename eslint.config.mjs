import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // `{ node, ...props }` drops a prop on purpose.
      "@typescript-eslint/no-unused-vars": ["warn", { ignoreRestSiblings: true }],
    },
  },
  // bench/bare-forward is a separate Next app's source, built in a scratch folder by the concurrency bench.
  globalIgnores([".next/**", "node_modules/**", "data/**", "tmp/**", "test-results/**", "lib/db/generated/**", "next-env.d.ts", "bench/bare-forward/**"]),
]);
