import { z } from "zod";
import { chatSettingsSchema } from "@/lib/chat/settings";

const textPart = z.object({ type: z.literal("text"), text: z.string().min(1).max(100_000) });

/** `settings`: stored with the chat (replacing its settings) and used from this call on. */
const common = { id: z.uuid(), modelId: z.string().min(1).max(200), settings: chatSettingsSchema.optional() };

/** A new user message, or `regenerate`: answer the chat's last user message again. */
export const postChatBody = z.union([
  z.object({
    ...common,
    message: z.object({
      id: z.string().min(1).max(100),
      role: z.literal("user"),
      parts: z.array(textPart).min(1).max(20),
    }),
  }),
  z.object({ ...common, regenerate: z.literal(true) }),
]);

export type PostChatBody = z.infer<typeof postChatBody>;
