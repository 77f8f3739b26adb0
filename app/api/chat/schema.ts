import { z } from "zod";
import { MAX_FILE_URL_CHARS } from "@/lib/attachments/kinds";
import { chatSettingsSchema } from "@/lib/chat/settings";

/** A message's text, all parts together, in characters (about 25,000 tokens). */
export const MAX_MESSAGE_CHARS = 100_000;

const textPart = z.object({ type: z.literal("text"), text: z.string().min(1).max(MAX_MESSAGE_CHARS) });
/** A file as `useChat` sends it: a `data:` URL, or a URL from POST /api/uploads (lib/chat/attachments.ts). */
const filePart = z.object({
  type: z.literal("file"),
  // Browsers label files they do not know (often .md) with "": the name and the bytes decide.
  mediaType: z.string().max(255),
  url: z.string().min(1).max(MAX_FILE_URL_CHARS),
  filename: z.string().max(1000).optional(),
});

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
        .array(z.discriminatedUnion("type", [textPart, filePart]))
        .min(1)
        .max(20)
        .refine((parts) => parts.reduce((sum, part) => sum + (part.type === "text" ? part.text.length : 0), 0) <= MAX_MESSAGE_CHARS, {
          message: `A message holds at most ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} characters of text.`,
        }),
    }),
    editMessageId: z.string().min(1).max(100).optional(),
  }),
  z.object({ ...common, regenerate: z.literal(true) }),
]);

export type PostChatBody = z.infer<typeof postChatBody>;
