import { z } from "zod";
import { chatSettingsSchema } from "@/lib/chat/settings";

/** A message's text, all parts together, in characters (about 25,000 tokens). */
export const MAX_MESSAGE_CHARS = 100_000;

const textPart = z.object({ type: z.literal("text"), text: z.string().min(1).max(MAX_MESSAGE_CHARS) });

/** `settings`: stored with the chat (replacing its settings) and used from this call on. */
const common = { id: z.uuid(), modelId: z.string().min(1).max(200), settings: chatSettingsSchema.optional() };

/**
 * A new user message, or `regenerate`: answer the chat's last user message again. With
 * `editMessageId`, the new message replaces that earlier user message and everything after it.
 */
export const postChatBody = z.union([
  z.object({
    ...common,
    message: z.object({
      id: z.string().min(1).max(100),
      role: z.literal("user"),
      parts: z
        .array(textPart)
        .min(1)
        .max(20)
        .refine((parts) => parts.reduce((sum, part) => sum + part.text.length, 0) <= MAX_MESSAGE_CHARS, {
          message: `A message holds at most ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} characters.`,
        }),
    }),
    editMessageId: z.string().min(1).max(100).optional(),
  }),
  z.object({ ...common, regenerate: z.literal(true) }),
]);

export type PostChatBody = z.infer<typeof postChatBody>;
