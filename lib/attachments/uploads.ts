import "server-only";
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { attachmentLimits, checkFile, expectKind, readBytes, readableAttachment, saveFiles, uploadUrl } from "@/lib/attachments/store";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/http/handler";

/** What POST /api/uploads answers: `url` goes in a message's file part. */
export interface UploadReceipt {
  id: string;
  url: string;
  mediaType: string;
  filename: string;
  size: number;
}

/** Room for the multipart framing around the largest file. */
const FORM_OVERHEAD = 64 * 1024;

/**
 * POST /api/uploads: one file in a multipart form field `file`. It is checked like a file sent
 * with a message (type by its bytes, size) and stored for the user, outside any chat until a
 * message uses it.
 */
export async function receiveUpload(request: Request, user: CurrentUser): Promise<UploadReceipt> {
  if (!/^multipart\/form-data\b/i.test(request.headers.get("content-type") ?? "")) {
    throw new AppError("unsupported_media_type:attachment", "Send the file as multipart/form-data in a field named “file”.");
  }
  const limits = attachmentLimits();
  const length = Number(request.headers.get("content-length") ?? 0);
  const largest = Math.max(limits.maxImageBytes, limits.maxTextFileBytes);
  if (length > largest + FORM_OVERHEAD) {
    throw new AppError("bad_request:attachment", `The upload is too large: files may be at most ${Math.round(largest / 1024 / 1024)} MB.`);
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new AppError("bad_request:attachment", "The upload is not a valid multipart form.");
  }
  const file = form.get("file");
  if (!(file instanceof File)) throw new AppError("bad_request:attachment", "Send the file in a form field named “file”.");
  expectKind({ mediaType: file.type, filename: file.name, size: file.size }, limits);
  const checked = checkFile({ mediaType: file.type, filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }, limits);
  await saveFiles([checked], { userId: user.id, chatId: null });
  return { id: checked.id, url: uploadUrl(checked.id), mediaType: checked.mediaType, filename: checked.filename, size: checked.size };
}

const serveQuery = z.object({ share: z.string().max(100).optional() });

/**
 * GET /api/uploads/:id[?share=<token>]: the file, to its uploader (who owns the chat it is in) or
 * to a reader of that chat's live share link; a 404 for everyone else. Images are served as what
 * their bytes are; text files always as text/plain, so nothing uploaded runs as a page.
 */
export async function serveAttachment(request: Request, user: CurrentUser, rawId: string): Promise<Response> {
  const { share } = parseWith(serveQuery, Object.fromEntries(new URL(request.url).searchParams));
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new AppError("not_found:attachment", "File not found.");
  const row = await readableAttachment({ id: id.data.toLowerCase(), user, share });
  const bytes = await readBytes(row);
  const image = row.mediaType.startsWith("image/");
  const name = encodeURIComponent(row.filename);
  return new Response(bytes, {
    headers: {
      "content-type": image ? row.mediaType : "text/plain; charset=utf-8",
      "content-length": String(bytes.length),
      "content-disposition": `${image ? "inline" : "attachment"}; filename*=UTF-8''${name}`,
      "x-content-type-options": "nosniff",
      // The bytes behind an id never change; who may read them can (a revoked link), so only briefly and privately.
      "cache-control": "private, max-age=300",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
}
