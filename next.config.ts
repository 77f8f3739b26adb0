import { readFileSync } from "node:fs";
import type { NextConfig } from "next";

/** Pillbox's version (package.json), baked into the build: the health endpoints report it. */
const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

/**
 * Images load only from Pillbox itself (and data:/blob: URLs): a prompt injection cannot make a
 * reply send chat content to another host through an image URL. Pillbox is never framed.
 */
const CONTENT_SECURITY_POLICY = [
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join("; ");

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
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
