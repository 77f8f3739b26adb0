import { z } from "zod";

const textPart = z.object({ type: z.literal("text"), text: z.string().min(1).max(100_000) });

export const postChatBody = z.object({
  id: z.uuid(),
  modelId: z.string().min(1).max(200),
  message: z.object({
    id: z.string().min(1).max(100),
    role: z.literal("user"),
    parts: z.array(textPart).min(1).max(20),
  }),
});

export type PostChatBody = z.infer<typeof postChatBody>;
