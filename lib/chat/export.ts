import "server-only";
import { z } from "zod";
import { messageText, type ChatMessage } from "@/lib/chat/types";
import { listMessagesWithTime } from "@/lib/db/chat-history";
import type { Chat } from "@/lib/db/generated/client";

export const exportParams = z.object({ format: z.enum(["md", "json"]).default("md") });
export type ExportFormat = z.infer<typeof exportParams>["format"];

const ROLE_HEADING = { user: "You", assistant: "Assistant", system: "System" } as const;

/** A file name from the title: letters, digits and dashes, never empty. */
export function exportFileName(title: string, format: ExportFormat): string {
  const base = title
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[\s_]+/g, "-")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${base || "chat"}.${format}`;
}

/** The chat as a download: Markdown to read, or JSON with every message's parts as stored. */
export async function exportChat(chat: Chat, format: ExportFormat): Promise<Response> {
  const rows = await listMessagesWithTime({ chatId: chat.id });
  const messages = rows.map((row) => ({
    id: row.id,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    text: messageText({ parts: row.parts as unknown as ChatMessage["parts"] }),
    parts: row.parts,
    metadata: row.metadata,
  }));
  const body =
    format === "json"
      ? `${JSON.stringify(
          {
            chat: {
              id: chat.id,
              title: chat.title,
              modelId: chat.modelId,
              createdAt: chat.createdAt.toISOString(),
              updatedAt: chat.updatedAt.toISOString(),
            },
            exportedAt: new Date().toISOString(),
            messages,
          },
          null,
          2,
        )}\n`
      : toMarkdown(chat, messages);
  const name = exportFileName(chat.title, format);
  return new Response(body, {
    headers: {
      "content-type": format === "json" ? "application/json; charset=utf-8" : "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      "cache-control": "no-store",
    },
  });
}

function toMarkdown(chat: Chat, messages: { role: keyof typeof ROLE_HEADING; text: string; createdAt: string; metadata: unknown }[]): string {
  const lines = [`# ${chat.title.replace(/\n/g, " ")}`, "", `Model: ${chat.modelId} · Started ${chat.createdAt.toISOString()}`, ""];
  for (const message of messages) {
    if (message.role === "system" || !message.text) continue;
    const model = (message.metadata as { modelId?: string } | null)?.modelId;
    lines.push(`## ${ROLE_HEADING[message.role]}${message.role === "assistant" && model ? ` (${model})` : ""}`, "", message.text.trim(), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
