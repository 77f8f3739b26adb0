import "server-only";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CurrentUser } from "@/lib/auth/session";
import {
  claimedKind,
  decodeText,
  refusal,
  sniffImage,
  textMediaType,
  type AttachmentKind,
  type AttachmentLimits,
} from "@/lib/attachments/kinds";
import { createAttachments, getAttachment, isLiveShareOf, listFileAttachmentIds, type NewAttachmentRow } from "@/lib/db/attachments";
import type { Attachment } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * Attachments' bytes: checked (type by their magic numbers, size, UTF-8 for text), stored in the
 * database or under UPLOAD_DIR, read back for the model's prompt and served at /api/uploads/<id>.
 */

export const attachmentLimits = (): AttachmentLimits => ({
  maxImageBytes: env.PILLBOX_MAX_IMAGE_BYTES,
  maxTextFileBytes: env.PILLBOX_MAX_TEXT_FILE_BYTES,
});

/** A file that passed every check, ready to store and to send. */
export interface CheckedFile {
  id: string;
  kind: AttachmentKind;
  mediaType: string;
  filename: string;
  size: number;
  bytes: Uint8Array<ArrayBuffer>;
}

export const uploadUrl = (id: string) => `/api/uploads/${id}`;

const refuse = (message: string) => new AppError("bad_request:attachment", message);

/** The file's own name, without folders or control characters, at most 200 characters. */
export function cleanFilename(filename: string | undefined, fallback: string): string {
  const name = (filename ?? "").split(/[\\/]/).at(-1)!.replace(/[\u0000-\u001f\u007f"]/g, "").trim();
  return (name || fallback).slice(0, 200);
}

/** What a file will be, before its bytes are read: its kind (400 for a wrong type) within its size limit (400). */
export function expectKind(file: { mediaType: string; filename?: string; size: number }, limits: AttachmentLimits): AttachmentKind {
  const kind = claimedKind(file);
  if (kind === null) throw refuse(refusal.type(file.filename));
  const max = kind === "image" ? limits.maxImageBytes : limits.maxTextFileBytes;
  if (file.size > max) throw refuse(refusal.tooLarge(kind, file.size, limits, file.filename));
  return kind;
}

/** Checks a file's bytes against what it claims to be. Images are typed by their bytes, never by their label. */
export function checkFile(
  file: { mediaType: string; filename?: string; bytes: Uint8Array<ArrayBuffer> },
  limits: AttachmentLimits,
): CheckedFile {
  const kind = expectKind({ ...file, size: file.bytes.length }, limits);
  const base = { id: crypto.randomUUID(), kind, size: file.bytes.length, bytes: file.bytes };
  if (kind === "image") {
    const mediaType = sniffImage(file.bytes);
    if (!mediaType) throw refuse(refusal.notImage(file.filename));
    return { ...base, mediaType, filename: cleanFilename(file.filename, `image.${mediaType.slice(6)}`) };
  }
  if (decodeText(file.bytes) === null) throw refuse(refusal.notText(file.filename));
  const filename = cleanFilename(file.filename, "file.txt");
  return { ...base, mediaType: textMediaType(filename), filename };
}

const DATA_URL = /^data:([^,]*),/;

/**
 * A `data:` URL's bytes. The size is checked from the URL's length before anything is decoded, so
 * a huge file costs no decoding.
 */
export function decodeDataUrl(url: string, file: { mediaType: string; filename?: string }, limits: AttachmentLimits): Uint8Array<ArrayBuffer> {
  const header = DATA_URL.exec(url.slice(0, 300));
  if (!header) throw refuse(`${file.filename ? `“${file.filename}”` : "A file"} must be a data: URL or a URL from POST /api/uploads.`);
  const payload = url.slice(header[0].length);
  const base64 = /;base64$/i.test(header[1]!);
  if (base64) {
    const padding = payload.endsWith("==") ? 2 : payload.endsWith("=") ? 1 : 0;
    expectKind({ ...file, size: Math.floor((payload.length * 3) / 4) - padding }, limits);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload)) throw refuse("The file's data: URL is not valid base64.");
    return new Uint8Array(Buffer.from(payload, "base64"));
  }
  expectKind({ ...file, size: payload.length / 3 }, limits);
  try {
    return new Uint8Array(Buffer.from(decodeURIComponent(payload), "utf8"));
  } catch {
    throw refuse("The file's data: URL is not valid.");
  }
}

const diskPath = (id: string) => path.resolve(env.UPLOAD_DIR!, id);

/**
 * Runs `remove`, which deletes chats (and with them their attachments' rows), then deletes those
 * attachments' files under UPLOAD_DIR. A file that cannot be removed is logged, never an error:
 * the chat is gone either way.
 */
export async function removingFiles<T>(scope: { chatId: string } | { chatsOfUserId: string }, remove: () => Promise<T>): Promise<T> {
  const ids = env.UPLOAD_DIR === undefined ? [] : await listFileAttachmentIds(scope);
  const result = await remove();
  await Promise.all(
    ids.map((id) => rm(diskPath(id), { force: true }).catch((err: unknown) => log.warn("could not remove an attachment's file", { err, id }))),
  );
  return result;
}

/** Stores checked files (bytes first, then rows), owned by the user and, once sent, their chat. */
export async function saveFiles(files: CheckedFile[], owner: { userId: string; chatId: string | null }): Promise<void> {
  if (files.length === 0) return;
  const onDisk = env.UPLOAD_DIR !== undefined;
  if (onDisk) {
    await mkdir(path.resolve(env.UPLOAD_DIR!), { recursive: true });
    await Promise.all(files.map((file) => writeFile(diskPath(file.id), file.bytes)));
  }
  const rows: NewAttachmentRow[] = files.map((file) => ({
    id: file.id,
    ...owner,
    mediaType: file.mediaType,
    filename: file.filename,
    size: file.size,
    bytes: onDisk ? null : file.bytes,
  }));
  try {
    await createAttachments(rows);
  } catch (error) {
    if (onDisk) await Promise.all(files.map((file) => rm(diskPath(file.id), { force: true })));
    throw error;
  }
}

export async function readBytes(row: Pick<Attachment, "id" | "bytes">): Promise<Uint8Array<ArrayBuffer>> {
  if (row.bytes) return new Uint8Array(row.bytes);
  if (!env.UPLOAD_DIR) throw new AppError("not_found:attachment", "The file's bytes are not available (UPLOAD_DIR is not set).");
  try {
    return new Uint8Array(await readFile(diskPath(row.id)));
  } catch {
    throw new AppError("not_found:attachment", "The file's bytes are missing from UPLOAD_DIR.");
  }
}

/**
 * An attachment for a reader: its uploader (who owns the chat it is in), or anyone holding a live
 * share link of that chat (`share` = the link's token). Everyone else gets the same 404 as for an
 * attachment that does not exist.
 */
export async function readableAttachment({ id, user, share }: { id: string; user: CurrentUser; share?: string }): Promise<Attachment> {
  const row = await getAttachment({ id });
  const allowed =
    row !== null &&
    (row.userId === user.id || (row.chatId !== null && share !== undefined && (await isLiveShareOf({ chatId: row.chatId, token: share }))));
  if (!row || !allowed) throw new AppError("not_found:attachment", "File not found.");
  return row;
}
