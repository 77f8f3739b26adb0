/**
 * What may be attached to a message, decided the same way in the browser (a first, friendly check
 * on the file's name, type and size) and on the server (which decides, on the bytes themselves).
 * No server-only imports: the chat input uses it too.
 */

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

const IMAGE_EXTENSIONS = new Set(["png", "jpg", "jpeg", "jfif", "webp", "gif"]);

/** Text files inlined for the model: prose, data and source code. */
const TEXT_EXTENSIONS = new Set(
  (
    "txt text md markdown mdx rst adoc org tex log csv tsv json jsonl ndjson xml yaml yml toml ini cfg conf properties " +
    "html htm css scss sass less js jsx mjs cjs ts tsx mts cts py pyi rb go rs java kt kts scala groovy gradle c h cc cpp " +
    "cxx hpp hh cs fs fsx vb php pl pm r jl swift m mm lua dart sh bash zsh fish ps1 bat cmd sql graphql gql proto vue " +
    "svelte astro ex exs erl hrl hs elm clj cljs edn nim zig tf hcl diff patch srt vtt"
  ).split(" "),
);
/** Files known by their whole name. */
const TEXT_NAMES = new Set(["dockerfile", "makefile", "readme", "license", "changelog", "gemfile", "procfile"]);
const TEXT_TYPES = /^(text\/[\w.+-]+|application\/(json|ld\+json|xml|x-yaml|yaml|toml|javascript|x-javascript|typescript|x-typescript|x-sh|sql|x-sql|x-python|x-httpd-php|graphql|x-tex))$/;

/** The media type a text file is stored and labelled with. */
const TEXT_MEDIA_TYPES: Record<string, string> = {
  md: "text/markdown",
  markdown: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
};

export interface AttachmentLimits {
  maxImageBytes: number;
  maxTextFileBytes: number;
}

/** The defaults of PILLBOX_MAX_IMAGE_BYTES and PILLBOX_MAX_TEXT_FILE_BYTES. */
export const DEFAULT_LIMITS: AttachmentLimits = { maxImageBytes: 5 * 1024 * 1024, maxTextFileBytes: 512 * 1024 };

export type AttachmentKind = "image" | "text";

/** The file's name without its folders, lower-cased. */
const baseName = (filename: string | undefined) => filename?.split(/[\\/]/).at(-1)?.toLowerCase() ?? "";

export function extensionOf(filename: string | undefined): string | null {
  const name = baseName(filename);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : null;
}
const declared = (mediaType: string) => mediaType.split(";")[0]!.trim().toLowerCase();

/**
 * What a file claims to be, from its name and declared type alone (the bytes decide later for
 * images): an image, a text file, or null for anything else (an .exe, a PDF, a zip).
 */
export function claimedKind({ mediaType, filename }: { mediaType: string; filename?: string }): AttachmentKind | null {
  const type = declared(mediaType);
  const extension = extensionOf(filename);
  if (type.startsWith("image/") || (extension !== null && IMAGE_EXTENSIONS.has(extension))) return "image";
  // A name with an extension decides (browsers call a .ts file video/mp2t); without one, the type does.
  if (extension !== null) return TEXT_EXTENSIONS.has(extension) ? "text" : null;
  if (TEXT_NAMES.has(baseName(filename))) return "text";
  return TEXT_TYPES.test(type) ? "text" : null;
}

export function textMediaType(filename: string | undefined): string {
  return TEXT_MEDIA_TYPES[extensionOf(filename) ?? ""] ?? "text/plain";
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);

/** The image type the bytes really are (by their magic numbers), whatever they were called. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return "image/gif";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  return null;
}

/** The file's text when it is UTF-8 without NUL bytes (a binary file is not text, whatever its name). */
export function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

const named = (filename: string | undefined) => (filename ? `“${filename}”` : "The file");

/** The refusals, worded the same in the browser and in the server's 400s. */
export const refusal = {
  type: (filename?: string) =>
    `${named(filename)} cannot be attached: attach PNG, JPEG, WebP or GIF images, or text files (txt, md, csv, json, source code).`,
  notImage: (filename?: string) => `${named(filename)} is not a PNG, JPEG, WebP or GIF image.`,
  notText: (filename?: string) => `${named(filename)} is not a text file (it is not UTF-8 text).`,
  tooLarge: (kind: AttachmentKind, size: number, limits: AttachmentLimits, filename?: string) =>
    `${named(filename)} is ${formatBytes(size)}; ${kind === "image" ? "images" : "text files"} may be at most ${formatBytes(
      kind === "image" ? limits.maxImageBytes : limits.maxTextFileBytes,
    )}.`,
  noVision: (modelName: string) => `${modelName} does not take images. Pick a model marked “vision”, or remove the image.`,
};

/**
 * The browser's check before a file is attached: its name, declared type and size. Null when it
 * may go; otherwise the reason, to show at once (the server checks the bytes again).
 */
export function checkFile(
  file: { name: string; type: string; size: number },
  limits: AttachmentLimits,
  model: { name: string; vision: boolean } | null,
): string | null {
  const kind = claimedKind({ mediaType: file.type, filename: file.name });
  if (kind === null) return refusal.type(file.name);
  const max = kind === "image" ? limits.maxImageBytes : limits.maxTextFileBytes;
  if (file.size > max) return refusal.tooLarge(kind, file.size, limits, file.name);
  if (kind === "image" && model && !model.vision) return refusal.noVision(model.name);
  return null;
}

/** Up to this many files go with one message. */
export const MAX_FILES_PER_MESSAGE = 10;

/**
 * The longest file URL a chat request may carry: a data: URL of the largest file the settings
 * allow (50 MB) in base64. The configured limits are checked on the decoded size, with a clear message.
 */
export const MAX_FILE_URL_CHARS = Math.ceil((50 * 1024 * 1024 * 4) / 3) + 1024;
