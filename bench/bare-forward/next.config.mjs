// As Pillbox's next.config.ts does for its chat stream: never gzip an event stream, no extra header.
// turbopack.root is set by the benchmark when it copies this folder (node_modules is a symlink).
/** @type {import("next").NextConfig} */
const nextConfig = {
  compress: false,
  poweredByHeader: false,
  turbopack: { root: process.env.BARE_FORWARD_TURBOPACK_ROOT },
};

export default nextConfig;
