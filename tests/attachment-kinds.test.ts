// What may be attached, decided on names, declared types and bytes (lib/attachments/kinds.ts), the
// same in the browser and on the server.
import { describe, expect, it } from "vitest";
import { checkFile, claimedKind, decodeText, DEFAULT_LIMITS, formatBytes, sniffImage } from "@/lib/attachments/kinds";
import { EXE_BYTES, solidPng } from "./support/images";

const bytes = (...values: number[]) => new Uint8Array(values);

describe("attachment kinds", () => {
  it("knows PNG, JPEG, GIF and WebP by their magic numbers, and nothing else", () => {
    expect(sniffImage(new Uint8Array(solidPng(1, 1, [0, 0, 0])))).toBe("image/png");
    expect(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffImage(new TextEncoder().encode("GIF89a...."))).toBe("image/gif");
    expect(sniffImage(new TextEncoder().encode("GIF87a...."))).toBe("image/gif");
    expect(sniffImage(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
    expect(sniffImage(new TextEncoder().encode("RIFF\0\0\0\0WAVEfmt "))).toBeNull();
    expect(sniffImage(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImage(new Uint8Array(EXE_BYTES))).toBeNull();
    expect(sniffImage(bytes())).toBeNull();
  });

  it("tells images and text files from anything else by name first, then by declared type", () => {
    expect(claimedKind({ mediaType: "image/png", filename: "a.png" })).toBe("image");
    expect(claimedKind({ mediaType: "", filename: "photo.JPG" })).toBe("image");
    expect(claimedKind({ mediaType: "image/svg+xml", filename: "logo.svg" })).toBe("image"); // then refused by its bytes
    expect(claimedKind({ mediaType: "video/mp2t", filename: "index.ts" })).toBe("text");
    expect(claimedKind({ mediaType: "", filename: "README.md" })).toBe("text");
    expect(claimedKind({ mediaType: "", filename: "Dockerfile" })).toBe("text");
    expect(claimedKind({ mediaType: "application/json" })).toBe("text");
    expect(claimedKind({ mediaType: "text/plain", filename: "setup.exe" })).toBeNull();
    expect(claimedKind({ mediaType: "application/x-msdownload", filename: "setup.exe" })).toBeNull();
    expect(claimedKind({ mediaType: "application/x-msdownload" })).toBeNull();
    expect(claimedKind({ mediaType: "application/pdf", filename: "paper.pdf" })).toBeNull();
    expect(claimedKind({ mediaType: "application/zip", filename: "src.zip" })).toBeNull();
  });

  it("reads text only when it is UTF-8 without NUL bytes", () => {
    expect(decodeText(new TextEncoder().encode("héllo, wörld"))).toBe("héllo, wörld");
    expect(decodeText(bytes(0x68, 0x00, 0x69))).toBeNull();
    expect(decodeText(bytes(0xc3, 0x28))).toBeNull();
  });

  it("gives the browser the server's reasons before a file is attached", () => {
    const vision = { name: "GPT-5", vision: true };
    const textOnly = { name: "DeepSeek V3", vision: false };
    expect(checkFile({ name: "a.png", type: "image/png", size: 1000 }, DEFAULT_LIMITS, vision)).toBeNull();
    expect(checkFile({ name: "a.png", type: "image/png", size: 1000 }, DEFAULT_LIMITS, textOnly)).toBe(
      "DeepSeek V3 does not take images. Pick a model marked “vision”, or remove the image.",
    );
    expect(checkFile({ name: "big.png", type: "image/png", size: 6 * 1024 * 1024 }, DEFAULT_LIMITS, vision)).toBe(
      "“big.png” is 6 MB; images may be at most 5 MB.",
    );
    expect(checkFile({ name: "notes.txt", type: "text/plain", size: 600 * 1024 }, DEFAULT_LIMITS, textOnly)).toMatch(/at most 512 KB/);
    expect(checkFile({ name: "setup.exe", type: "application/x-msdownload", size: 10 }, DEFAULT_LIMITS, vision)).toMatch(/cannot be attached/);
    expect(formatBytes(1536 * 1024)).toBe("1.5 MB");
  });
});
