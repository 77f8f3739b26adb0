import "server-only";
import { z } from "zod";

/** Empty strings in the environment mean "unset". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const serverSchema = z.object({
  REDPILL_API_KEY: optional(z.string().trim().min(8, "must be a RedPill API key")),
  REDPILL_BASE_URL: optional(z.url({ protocol: /^https?$/ })).transform(
    (url) => (url ?? "https://api.redpill.ai/v1").replace(/\/+$/, ""),
  ),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^(postgres(ql)?:\/\/|memory:\/\/)/, "must be a postgresql:// URL (or unset for the embedded database)"),
  ),
  AUTH_URL: optional(z.url({ protocol: /^https?$/ })),
  AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)")),
  PILLBOX_DATA_DIR: optional(z.string()).transform((dir) => dir ?? "./data"),
  PILLBOX_MAX_OUTPUT_TOKENS: optional(z.coerce.number().int().positive().max(1_000_000)).transform(
    (n) => n ?? 4096,
  ),
  PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(600_000)).transform(
    (n) => n ?? 60_000,
  ),
  PILLBOX_DEMO_DELAY_MS: optional(z.coerce.number().int().min(0).max(2000)).transform((n) => n ?? 25),
  /** Demo mode: how many models the simulated catalog serves (unset: the 8 curated ones). */
  PILLBOX_DEMO_MODELS: optional(z.coerce.number().int().min(1).max(1000)),
});

export type ServerEnv = z.infer<typeof serverSchema> & { demoMode: boolean };

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    const lines = issues.map((issue) => `  - ${issue.path.join(".") || "environment"}: ${issue.message}`);
    super(`Invalid configuration:\n${lines.join("\n")}\nSee .env.example and README.md (Configuration).`);
    this.name = "EnvError";
  }
}

function loadEnv(): ServerEnv {
  const parsed = serverSchema.safeParse(process.env);
  if (!parsed.success) throw new EnvError(parsed.error.issues);
  const values = parsed.data;
  return { ...values, demoMode: values.REDPILL_API_KEY === undefined };
}

const globalForEnv = globalThis as unknown as { pillboxEnv?: ServerEnv };

/** Validated once per process; importing code reads `env`, never `process.env`. */
export const env: ServerEnv = globalForEnv.pillboxEnv ?? (globalForEnv.pillboxEnv = loadEnv());
