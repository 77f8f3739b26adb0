import { readFileSync } from "node:fs";
import type { NextConfig } from "next";
import {
  HSTS_VALUE,
  STATIC_SECURITY_HEADERS,
  contentSecurityPolicy,
} from "./lib/http/security-headers";

/** Pillbox's version (package.json), baked into the build: the health endpoints report it. */
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

// Also checked by `npm run build` (scripts/prebuild.mjs), which migrates too; this catches a Vercel
// project whose build command is plain `next build`.
if (process.env.VERCEL && !/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL?.trim() ?? "")) {
  throw new Error(
    "Pillbox on Vercel needs PostgreSQL: set DATABASE_URL (postgresql://…) in the project's environment " +
      "variables; the embedded database cannot live on a function's filesystem. See README.md (Deploy to Vercel).",
  );
}

const nextConfig: NextConfig = {
  // `.next/standalone` holds the server and exactly the node_modules files it loads; `npm run build`
  // then copies the static assets, public/ and the migrations in (scripts/standalone.mjs), so that
  // folder alone runs Pillbox (`node server.js`).
  output: "standalone",
  // Loaded at run time by path, so the tracer cannot see them: PGlite's WebAssembly and data files.
  outputFileTracingIncludes: {
    "/*": ["./node_modules/@electric-sql/pglite/dist/*.{wasm,data}"],
  },
  env: { PILLBOX_VERSION: version },
  // PGlite loads its WebAssembly and data files from its own package folder, and Prisma's
  // query compiler is WebAssembly too: keep them out of the server bundle.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
  ],
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // The chat stream must reach the browser chunk by chunk: never gzip an event stream.
  compress: false,
  poweredByHeader: false,
  // Every response, including those the proxy skips (static files, POST /api/chat): the static
  // security headers and a nonce-less policy. proxy.ts replaces the policy with one carrying a
  // fresh script nonce and adds HSTS when AUTH_URL is https (read at run time, not at build).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: contentSecurityPolicy() },
          ...Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
        ],
      },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: HSTS_VALUE }],
      },
    ];
  },
};

export default nextConfig;
