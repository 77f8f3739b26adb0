import "server-only";
import { z } from "zod";

/** Also said at build time (scripts/prebuild.mjs, next.config.ts). */
const VERCEL_NEEDS_POSTGRES =
  "must be a postgresql:// URL on Vercel (VERCEL is set): the embedded database cannot live on a function's " +
  "filesystem. Add a PostgreSQL database (Neon, or Vercel Postgres) and set DATABASE_URL in the project's " +
  "environment variables; see README.md (Deploy to Vercel)";

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
  /** Connections each instance keeps open to PostgreSQL at most (ignored by the embedded database). */
  DATABASE_POOL_SIZE: optional(z.coerce.number().int().min(1).max(500)).transform((n) => n ?? 10),
  /** How long opening a PostgreSQL connection may take before the request gets a 503 (milliseconds). */
  DATABASE_CONNECT_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)).transform((n) => n ?? 5000),
  /** Usage settles and reply saves that failed while the database was unreachable, kept in memory to retry (0: none). */
  PILLBOX_RETRY_QUEUE_SIZE: optional(z.coerce.number().int().min(0).max(1_000_000)).transform((n) => n ?? 1000),
  /** The longest wait between two retries of a queued write (the wait doubles from 250 ms up to this). */
  PILLBOX_RETRY_MAX_DELAY_MS: optional(z.coerce.number().int().min(250).max(600_000)).transform((n) => n ?? 30_000),
  AUTH_URL: optional(z.url({ protocol: /^https?$/ })),
  AUTH_SECRET: optional(z.string().min(32, "must be at least 32 characters (try: openssl rand -base64 32)")),
  /** First-run setup on a public address: /setup and POST /api/setup require this token while no admin exists. */
  PILLBOX_SETUP_TOKEN: optional(
    z
      .string()
      .trim()
      .min(16, "must be at least 16 characters (try: openssl rand -hex 24)")
      .max(200)
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces (it goes into a link)"),
  ),
  PILLBOX_DATA_DIR: optional(z.string()).transform((dir) => dir ?? "./data"),
  /** bcrypt work factor for new password hashes (existing hashes keep theirs): each step doubles the time. */
  PILLBOX_PASSWORD_HASH_COST: optional(z.coerce.number().int().min(4).max(15)).transform((n) => n ?? 11),
  /** Apply pending migrations when the server starts (the standalone server has no `npm run db:migrate`). */
  PILLBOX_MIGRATE_ON_START: optional(
    z.stringbool({ truthy: ["1", "true"], falsy: ["0", "false"], error: "must be 1 or 0 (true or false)" }),
  ).transform((on) => on ?? false),
  PILLBOX_MAX_OUTPUT_TOKENS: optional(z.coerce.number().int().positive().max(1_000_000)).transform(
    (n) => n ?? 4096,
  ),
  PILLBOX_UPSTREAM_IDLE_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(600_000)).transform(
    (n) => n ?? 60_000,
  ),
  /** On SIGTERM, how long open replies may go on streaming before they are aborted. */
  PILLBOX_SHUTDOWN_GRACE_MS: optional(z.coerce.number().int().min(0).max(600_000)).transform((n) => n ?? 30_000),
  /** How long a TEE model's attested signing addresses are trusted before a fresh attestation (new nonce). */
  PILLBOX_TEE_ATTESTATION_TTL_SECONDS: optional(z.coerce.number().int().min(0).max(86_400)).transform((n) => n ?? 600),
  /** Timeout of each attestation, signature or quote-service request made to verify a TEE reply. */
  PILLBOX_TEE_TIMEOUT_MS: optional(z.coerce.number().int().min(100).max(120_000)).transform((n) => n ?? 5000),
  /** Optional: a service that checks a TDX quote's Intel signature chain (POST {hex}), e.g. Phala's. Unset: not checked. */
  PILLBOX_TEE_INTEL_VERIFIER_URL: optional(z.url({ protocol: /^https?$/ })),
  /** Optional: NVIDIA's remote attestation service (NRAS) for the GPU evidence. Unset: not checked. */
  PILLBOX_TEE_NVIDIA_VERIFIER_URL: optional(z.url({ protocol: /^https?$/ })),
  /** Largest image a message may carry (bytes). */
  PILLBOX_MAX_IMAGE_BYTES: optional(z.coerce.number().int().min(1024).max(50 * 1024 * 1024)).transform(
    (n) => n ?? 5 * 1024 * 1024,
  ),
  /** Largest text file a message may inline (bytes). */
  PILLBOX_MAX_TEXT_FILE_BYTES: optional(z.coerce.number().int().min(1024).max(5 * 1024 * 1024)).transform(
    (n) => n ?? 512 * 1024,
  ),
  /** Where attachments' bytes go (a directory); unset = in the database. */
  UPLOAD_DIR: optional(z.string().trim().min(1)),
  /** Demo mode: the built-in fake answers in-process instead of on a local port. Default: on when VERCEL is set. */
  PILLBOX_DEMO_IN_PROCESS: optional(
    z.stringbool({ truthy: ["1", "true"], falsy: ["0", "false"], error: "must be 1 or 0 (true or false)" }),
  ),
  /** Vercel builds only (scripts/prebuild.mjs): the direct connection migrations use when DATABASE_URL is pooled. */
  DATABASE_URL_UNPOOLED: optional(z.string().regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")),
  /** Set by Vercel on its builds and functions. */
  VERCEL: optional(z.string()),
  PILLBOX_DEMO_DELAY_MS: optional(z.coerce.number().int().min(0).max(2000)).transform((n) => n ?? 25),
  /** Demo mode: how many models the simulated catalog serves (unset: the curated ones). */
  PILLBOX_DEMO_MODELS: optional(z.coerce.number().int().min(1).max(1000)),
  /** How much the server logs (pino levels); `silent` logs nothing. */
  LOG_LEVEL: optional(z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"])).transform(
    (level) => level ?? "info",
  ),
  AUTH_OIDC_ISSUER: optional(z.url({ protocol: /^https?$/, error: "must be the identity provider's issuer URL (https://…)" })),
  AUTH_OIDC_CLIENT_ID: optional(z.string().trim().min(1)),
  AUTH_OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  AUTH_OIDC_NAME: optional(z.string().trim().min(1).max(40, "must be at most 40 characters (it is a button label)")),
  AUTH_OIDC_GROUPS_CLAIM: optional(z.string().trim().min(1).max(100)),
}).superRefine((values, ctx) => {
  if (values.VERCEL !== undefined && !values.DATABASE_URL?.match(/^postgres(ql)?:\/\//)) {
    ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: VERCEL_NEEDS_POSTGRES });
  }
  // Single sign-on needs all three; a partial set is a mistake, not "SSO off".
  const oidc = ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"] as const;
  const set = oidc.filter((name) => values[name] !== undefined);
  if (set.length === 0 || set.length === oidc.length) return;
  for (const name of oidc.filter((n) => values[n] === undefined)) {
    ctx.addIssue({ code: "custom", path: [name], message: `must be set too: single sign-on needs ${oidc.join(", ")} (or none of them)` });
  }
});

export type ServerEnv = Omit<z.infer<typeof serverSchema>, "PILLBOX_DEMO_IN_PROCESS"> & {
  demoMode: boolean;
  PILLBOX_DEMO_IN_PROCESS: boolean;
};

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
  return {
    ...values,
    demoMode: values.REDPILL_API_KEY === undefined,
    PILLBOX_DEMO_IN_PROCESS: values.PILLBOX_DEMO_IN_PROCESS ?? values.VERCEL !== undefined,
  };
}

const globalForEnv = globalThis as unknown as { pillboxEnv?: ServerEnv };

/** Validated once per process; importing code reads `env`, never `process.env`. */
export const env: ServerEnv = globalForEnv.pillboxEnv ?? (globalForEnv.pillboxEnv = loadEnv());
