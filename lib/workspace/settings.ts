import "server-only";
import { z } from "zod";
import { withAudit, type AuditActor } from "@/lib/audit/record";
import { chatSettingsSchema } from "@/lib/chat/settings";
import { db } from "@/lib/db/client";
import { getModel } from "@/lib/db/models";
import { AppError } from "@/lib/errors";

const KEY = "workspace";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "Enter a domain such as example.com");

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Workspace-wide choices an admin makes. Every field has a default, so an old row still parses. */
export const workspaceSettingsSchema = z.object({
  /** invite-only (default), or open sign-up for the listed email domains */
  signupMode: z.enum(["invite", "open"]).default("invite"),
  signupDomains: z.array(domain).max(50).default([]),
  /** open sign-up accounts wait as "pending" until an admin approves them */
  signupRequiresApproval: z.boolean().default(false),
  /** false once SSO works and the admin turns passwords off */
  passwordLogin: z.boolean().default(true),
  /** models that appear in a later catalog sync start enabled only when this is on */
  autoEnableNewModels: z.boolean().default(false),
  /** IANA time zone for usage periods and budget resets (calendar days, weeks, months) */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, "Use an IANA time zone such as Europe/Berlin")
    .default("UTC"),
  /** the model a new chat starts with (when the user may use it) */
  defaultModelId: z.string().max(200).nullable().default(null),
  /** the (cheap) model that names a chat after its first exchange; null: the first words stay its title */
  titleModelId: z.string().max(200).nullable().default(null),
  /** model settings every chat starts from (a default system prompt, temperature, …) */
  chatDefaults: chatSettingsSchema.default({}),
});

export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;
type Shape = typeof workspaceSettingsSchema.shape;
/**
 * A change names only what it changes. Not `.partial()`: zod 4 still applies the defaults there,
 * so a PATCH of one field would reset every other field to its default.
 */
export const workspaceSettingsChange = z
  .object(
    Object.fromEntries(Object.entries(workspaceSettingsSchema.shape).map(([key, field]) => [key, field.unwrap().optional()])) as {
      [K in keyof Shape]: z.ZodOptional<ReturnType<Shape[K]["unwrap"]>>;
    },
  )
  .strict();
export type WorkspaceSettingsChange = z.infer<typeof workspaceSettingsChange>;

/** The stored settings row's value as settings (defaults for anything missing or invalid). */
export function parseWorkspaceSettings(value: string | undefined): WorkspaceSettings {
  let raw: unknown = {};
  try {
    raw = value ? JSON.parse(value) : {};
  } catch {
    raw = {};
  }
  const parsed = workspaceSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : workspaceSettingsSchema.parse({});
}

/** Read fresh from the database on each call: every instance sees a change at once. */
export async function getWorkspaceSettings(): Promise<WorkspaceSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return parseWorkspaceSettings(row?.value);
}

export function updateWorkspaceSettings(actor: AuditActor, change: WorkspaceSettingsChange): Promise<WorkspaceSettings> {
  return withAudit(actor, async (tx, audit) => {
    // Serialises concurrent changes so neither overwrites the other's fields.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727002)`;
    if (change.titleModelId && !(await getModel({ id: change.titleModelId }, tx))) {
      throw new AppError("bad_request:settings", `Unknown model "${change.titleModelId}".`);
    }
    const before = parseWorkspaceSettings((await tx.setting.findUnique({ where: { key: KEY } }))?.value);
    const after = workspaceSettingsSchema.parse({ ...before, ...change });
    const value = JSON.stringify(after);
    await tx.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
    await audit({ action: "settings.update", targetType: "workspace", targetId: null, before, after });
    return after;
  });
}
