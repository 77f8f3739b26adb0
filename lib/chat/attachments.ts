import "server-only";
import type { FileUIPart } from "ai";
import { claimedKind, MAX_FILES_PER_MESSAGE, refusal, type AttachmentKind } from "@/lib/attachments/kinds";
import {
  attachmentLimits,
  checkFile,
  decodeDataUrl,
  readBytes,
  saveFiles,
  uploadUrl,
  type CheckedFile,
} from "@/lib/attachments/store";
import type { ChatMessage } from "@/lib/chat/types";
import { claimAttachments, listChatAttachmentsWithBytes, listOwnAttachments } from "@/lib/db/attachments";
import type { Model } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import type { UpstreamCall } from "@/lib/redpill/provider";

/**
 * Files in chat messages. A message's file parts arrive as `useChat` sends them
 * (`{ type: "file", mediaType, url, filename? }`, the url a `data:` URL or one POST /api/uploads
 * returned); every check runs before anything is stored or sent upstream. Stored messages keep
 * file parts whose url is /api/uploads/<id>; the model gets images as `image_url` parts with data
 * URLs (RedPill cannot reach Pillbox) and text files inlined as text.
 */

/** One part of a user message in the provider's prompt format. */
export type UserContent = Extract<UpstreamCall["prompt"][number], { role: "user" }>["content"][number];

/** What a prompt's budget reservation counts for one image (high-detail images cost about this much). */
export const IMAGE_PROMPT_TOKENS = 1_600;

const UPLOAD_PATH = /^\/api\/uploads\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The attachment id of a `/api/uploads/<id>` URL (relative, or absolute on this host), else null. */
export function uploadIdOf(url: string, host: string | null): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://pillbox.invalid");
  } catch {
    return null;
  }
  if (parsed.host !== "pillbox.invalid" && parsed.host !== host) return null;
  return UPLOAD_PATH.exec(parsed.pathname)?.[1]?.toLowerCase() ?? null;
}

const isFile = (part: ChatMessage["parts"][number]): part is FileUIPart => part.type === "file";

/** A file the prompt can use, by attachment id. */
export interface PromptFile {
  kind: AttachmentKind;
  mediaType: string;
  filename: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export interface PreparedFiles {
  /** the message's parts as stored: file urls point at /api/uploads/<id> */
  parts: ChatMessage["parts"];
  /** the message's files, for the prompt */
  files: Map<string, PromptFile>;
  /** Stores the new files in the chat (after the message, whose chat must exist). */
  save: (chatId: string) => Promise<void>;
}

/**
 * Checks a new message's files, in order: how many, each one's type (by name and declared type),
 * images against the model's input modalities, sizes, then the bytes (an image must be one by its
 * magic numbers; a text file UTF-8). Any failure is a 400 and nothing is stored.
 */
export async function prepareMessageFiles({
  parts,
  userId,
  chatId,
  model,
  host,
}: {
  parts: ChatMessage["parts"];
  userId: string;
  chatId: string;
  model: Pick<Model, "name" | "displayName" | "inputModalities">;
  host: string | null;
}): Promise<PreparedFiles> {
  const fileParts = parts.filter(isFile);
  if (fileParts.length === 0) return { parts, files: new Map(), save: async () => {} };
  if (fileParts.length > MAX_FILES_PER_MESSAGE) {
    throw new AppError("bad_request:attachment", `A message can carry at most ${MAX_FILES_PER_MESSAGE} files.`);
  }
  const limits = attachmentLimits();
  const vision = model.inputModalities.includes("image");
  const uploads = fileParts.map((part) => uploadIdOf(part.url, host));
  for (const [index, part] of fileParts.entries()) {
    // An upload was checked when it was made; its kind is known from its row below.
    if (uploads[index]) continue;
    const kind = claimedKind(part);
    if (kind === null) throw new AppError("bad_request:attachment", refusal.type(part.filename));
    if (kind === "image" && !vision) throw new AppError("bad_request:attachment", refusal.noVision(model.displayName ?? model.name));
  }

  const uploadIds = uploads.filter((id): id is string => id !== null);
  const own = uploadIds.length ? await listOwnAttachments({ userId, ids: uploadIds }) : [];
  const byId = new Map(own.map((row) => [row.id, row]));
  for (const id of uploadIds) {
    const row = byId.get(id);
    if (!row || (row.chatId !== null && row.chatId !== chatId)) {
      throw new AppError("bad_request:attachment", "An attached file was not found: upload it again.");
    }
    if (row.mediaType.startsWith("image/") && !vision) throw new AppError("bad_request:attachment", refusal.noVision(model.displayName ?? model.name));
  }

  const fresh: CheckedFile[] = [];
  const files = new Map<string, PromptFile>();
  const stored = new Map<FileUIPart, FileUIPart>();
  for (const [index, part] of fileParts.entries()) {
    const id = uploads[index];
    if (id) {
      const row = byId.get(id)!;
      stored.set(part, { type: "file", mediaType: row.mediaType, filename: row.filename, url: uploadUrl(row.id) });
      continue;
    }
    const bytes = decodeDataUrl(part.url, part, limits);
    const file = checkFile({ mediaType: part.mediaType, filename: part.filename, bytes }, limits);
    fresh.push(file);
    files.set(file.id, file);
    stored.set(part, { type: "file", mediaType: file.mediaType, filename: file.filename, url: uploadUrl(file.id) });
  }
  // Uploads' bytes are read with the rest of the history's files.
  return {
    parts: parts.map((part) => (isFile(part) ? stored.get(part)! : part)),
    files,
    save: async (savedChatId) => {
      await saveFiles(fresh, { userId, chatId: savedChatId });
      if (uploadIds.length) await claimAttachments({ userId, chatId: savedChatId, ids: uploadIds });
    },
  };
}

/** Everything the model's prompt needs of the history's files, and what they add to its size. */
export interface PromptFiles {
  /** The prompt parts for one stored file part. */
  resolve: (part: FileUIPart) => UserContent[];
  /** Tokens one stored file part adds to the prompt's estimate (an image IMAGE_PROMPT_TOKENS, a text file by its length). */
  tokensOf: (part: FileUIPart) => number;
}

const fence = (text: string) => "`".repeat(Math.max(3, ...[...text.matchAll(/`{3,}/g)].map((m) => m[0].length + 1)));

/**
 * A text file as the model reads it: its name, then its content in a fence no line of it can close,
 * ending with a line break so that text after it (where parts are joined) starts on a line of its own.
 */
export function inlineText(filename: string, text: string): string {
  const marks = fence(text);
  return `${filename}:\n${marks}\n${text}${text.endsWith("\n") ? "" : "\n"}${marks}\n`;
}

/**
 * Reads the bytes of every file the history's messages reference (the new message's are in
 * `known`), for a model with or without image input. An image in the history of a model without
 * image input goes as a short note instead, so switching models mid-chat keeps working.
 */
export async function loadPromptFiles({
  history,
  userId,
  chatId,
  model,
  known = new Map(),
}: {
  history: ChatMessage[];
  userId: string;
  chatId: string;
  model: Pick<Model, "inputModalities">;
  known?: Map<string, PromptFile>;
}): Promise<PromptFiles> {
  const ids = new Set<string>();
  for (const message of history) {
    if (message.role !== "user") continue;
    for (const part of message.parts) {
      const id = isFile(part) ? uploadIdOf(part.url, null) : null;
      if (id && !known.has(id)) ids.add(id);
    }
  }
  const files = new Map(known);
  if (ids.size > 0) {
    const rows = await listChatAttachmentsWithBytes({ chatId, userId, ids: [...ids] });
    for (const row of rows) {
      const bytes = await readBytes(row).catch(() => null);
      if (!bytes) continue;
      files.set(row.id, { kind: row.mediaType.startsWith("image/") ? "image" : "text", mediaType: row.mediaType, filename: row.filename, bytes });
    }
  }
  const vision = model.inputModalities.includes("image");
  const texts = new Map<string, string>();
  for (const [id, file] of files) {
    if (file.kind === "text") texts.set(id, inlineText(file.filename, new TextDecoder().decode(file.bytes)));
  }
  return {
    tokensOf: (part) => {
      const id = uploadIdOf(part.url, null);
      const file = id ? files.get(id) : undefined;
      if (!id || !file) return 0;
      if (file.kind === "image") return vision ? IMAGE_PROMPT_TOKENS : 0;
      return Math.ceil(texts.get(id)!.length / 3);
    },
    resolve: (part) => {
      const id = uploadIdOf(part.url, null);
      const file = id ? files.get(id) : undefined;
      const name = part.filename ?? "a file";
      if (!id || !file) return [{ type: "text", text: `[${name} is no longer available.]` }];
      if (file.kind === "text") return [{ type: "text", text: texts.get(id)! }];
      if (!vision) return [{ type: "text", text: `[Image ${name} not shown: this model does not take images.]` }];
      return [{ type: "file", mediaType: file.mediaType, filename: file.filename, data: file.bytes }];
    },
  };
}

/** A shared chat's file parts, their urls carrying the link's token: the reader's proof they may see them. */
export function withShareToken(parts: ChatMessage["parts"], token: string): ChatMessage["parts"] {
  return parts.map((part) =>
    isFile(part) && uploadIdOf(part.url, null) ? { ...part, url: `${part.url}?share=${encodeURIComponent(token)}` } : part,
  );
}
