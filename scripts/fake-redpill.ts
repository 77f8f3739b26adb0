/**
 * Runs the fake RedPill server standalone.
 *   npm run fake-redpill -- --port 4010 --key sk-fake --delay 30 --style demo --models 250
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { fakeCatalogMax, startFakeRedpill } from "../lib/fake-redpill";

const argsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4010),
  host: z.string().default("127.0.0.1"),
  key: z.string().min(1).optional(),
  delay: z.coerce.number().int().min(0).default(0),
  style: z.enum(["echo", "demo"]).default("echo"),
  quiet: z.boolean().default(false),
  models: z.coerce.number().int().min(1).max(fakeCatalogMax()).optional(),
});

const USAGE =
  "Usage: npm run fake-redpill -- [--port 4010] [--host 127.0.0.1] [--key sk-fake] [--delay 30] [--style echo|demo] [--models 250] [--quiet]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      key: { type: "string" },
      delay: { type: "string" },
      style: { type: "string" },
      quiet: { type: "boolean" },
      models: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`Invalid arguments: ${parsed.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")}`);
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const args = parsed.data;
  const fake = await startFakeRedpill({
    port: args.port,
    host: args.host,
    apiKey: args.key ?? null,
    chunkDelayMs: args.delay,
    replyStyle: args.style,
    quiet: args.quiet,
    catalogSize: args.models,
  });
  console.log(`Fake RedPill listening on ${fake.url} with ${fake.models().length} models`);
  console.log(args.key ? "Bearer key required (as given with --key)." : "Any non-empty bearer key is accepted.");

  const stop = (signal: NodeJS.Signals): void => {
    console.log(`\n${signal} received, shutting down.`);
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
