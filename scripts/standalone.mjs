// The second half of `npm run build`: completes `.next/standalone` (written by `next build` with
// `output: "standalone"`) so that the folder alone runs Pillbox with `node server.js`. Next leaves
// out the browser assets and public/, and the migrations are read from disk at run time.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const standalone = path.join(root, ".next", "standalone");

function fail(message) {
  console.error(`standalone: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(path.join(standalone, "server.js"))) {
  fail(`${path.relative(root, standalone)}/server.js is missing: run \`next build\` first (next.config.ts sets output: "standalone")`);
}

/** Replaces `to` with a copy of `from` (so nothing removed from the source lingers in the output). */
function mirror(from, to) {
  fs.rmSync(to, { recursive: true, force: true });
  if (!fs.existsSync(from)) return false;
  fs.cpSync(from, to, { recursive: true });
  return true;
}

if (!mirror(path.join(root, ".next", "static"), path.join(standalone, ".next", "static"))) {
  fail(".next/static is missing: the build did not finish");
}
mirror(path.join(root, "public"), path.join(standalone, "public"));
// Applied by PILLBOX_MIGRATE_ON_START=1, and compared with the database's at every start.
if (!mirror(path.join(root, "prisma", "migrations"), path.join(standalone, "prisma", "migrations"))) {
  fail("prisma/migrations is missing");
}

// Loaded by path at run time (next.config.ts's outputFileTracingIncludes brings them in): fail the
// build here rather than the server on another machine.
const required = [
  "node_modules/@electric-sql/pglite/dist/pglite.wasm",
  "node_modules/@electric-sql/pglite/dist/pglite.data",
  "node_modules/@electric-sql/pglite/dist/initdb.wasm",
];
const missing = required.filter((file) => !fs.existsSync(path.join(standalone, file)));
if (missing.length > 0) fail(`the build output lacks ${missing.join(", ")}`);

console.log(`standalone: ${path.relative(root, standalone)} is complete; run it with \`node server.js\` there`);
