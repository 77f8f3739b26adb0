import { z } from "zod";

/**
 * A chat's model settings, with the ranges RedPill's reference gives. Every field is optional:
 * a missing (or null) one takes the workspace default, else the model's own.
 */
export const chatSettingsSchema = z
  .object({
    /** sent as a leading `system` message */
    system: z.string().max(20_000).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    topP: z.number().min(0).max(1).nullable().optional(),
    /** `max_tokens`, or `max_completion_tokens` for openai/gpt-5*, o3*, o4* */
    maxOutputTokens: z.number().int().min(1).max(1_000_000).nullable().optional(),
    presencePenalty: z.number().min(-2).max(2).nullable().optional(),
    frequencyPenalty: z.number().min(-2).max(2).nullable().optional(),
  })
  .strict();

export type ChatSettingsInput = z.infer<typeof chatSettingsSchema>;

// A type, not an interface: it is stored as JSON, and only a type alias fits Prisma's JSON input.
export type ChatSettings = {
  system?: string;
  temperature?: number;
  topP?: number;
  maxOutputTokens?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
};

const KEYS = ["system", "temperature", "topP", "maxOutputTokens", "presencePenalty", "frequencyPenalty"] as const;

/** The settings as stored: only the fields that are set (an empty system prompt is none). */
export function compactSettings(input: ChatSettingsInput | null | undefined): ChatSettings {
  const out: Record<string, string | number> = {};
  for (const key of KEYS) {
    const value = input?.[key];
    if (value === null || value === undefined || value === "") continue;
    out[key] = value;
  }
  return out as ChatSettings;
}

/** A stored value (JSON from the database) as settings; anything invalid counts as unset. */
export function storedSettings(value: unknown): ChatSettings {
  const parsed = chatSettingsSchema.safeParse(value ?? {});
  return parsed.success ? compactSettings(parsed.data) : {};
}
