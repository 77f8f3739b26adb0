import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string().min(1).max(100_000) });

const common = { id: z.uuid(), modelId: z.string().min(1).max(200) };

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
