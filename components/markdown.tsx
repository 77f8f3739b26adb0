"use client";

import { createCodePlugin } from "@streamdown/code";
import { createMathPlugin } from "@streamdown/math";
import { ImageIcon } from "lucide-react";
import { memo, type ComponentProps } from "react";
import { Streamdown, type ExtraProps } from "streamdown";

// Shiki highlights code (light and dark themes follow the app's); KaTeX renders `$…$` and `$$…$$`.
const plugins = {
  code: createCodePlugin({ themes: ["github-light", "github-dark"] }),
  math: createMathPlugin({ singleDollarTextMath: true }),
};

/** Pictures the reply carries itself (data: or blob:) show; nothing is fetched from elsewhere. */
const isInline = (src: unknown): src is string => typeof src === "string" && /^(data:image\/|blob:)/i.test(src);

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * An image in a reply never loads from another host by itself: a prompt injection could put chat
 * content in its URL. It becomes a link the user may choose to open (the CSP's img-src would block
 * the load anyway).
 */
function ReplyImage({ src, alt }: ComponentProps<"img"> & ExtraProps) {
  if (isInline(src)) {
    // eslint-disable-next-line @next/next/no-img-element -- an inline data: image, not an optimisable asset
    return <img src={src} alt={alt ?? ""} className="my-2 max-h-96 rounded-md" />;
  }
  if (typeof src !== "string" || !/^https?:/i.test(src)) return alt ? <span>{alt}</span> : null;
  return (
    <a
      href={src}
      target="_blank"
      rel="noopener noreferrer nofollow"
      className="inline-flex items-center gap-1 rounded-md border px-2 py-0.5 text-sm no-underline hover:bg-accent"
      data-testid="reply-image-link"
      title={src}
    >
      <ImageIcon className="size-3.5" aria-hidden />
      {alt || "Image"} <span className="text-muted-foreground">({hostOf(src)})</span>
    </a>
  );
}

const components = { img: ReplyImage };

/**
 * Streaming markdown (unfinished blocks render as they arrive): GitHub tables, Shiki-highlighted
 * code with copy buttons, KaTeX math. Raw HTML is sanitised; external links ask before opening.
 */
export const Markdown = memo(function Markdown({ text, streaming = false }: { text: string; streaming?: boolean }) {
  return (
    <Streamdown
      className="prose-chat"
      mode={streaming ? "streaming" : "static"}
      isAnimating={streaming}
      plugins={plugins}
      components={components}
      controls={{ code: true, table: true, mermaid: false }}
    >
      {text}
    </Streamdown>
  );
});
