import { memo, useRef, type ComponentProps } from "react";
import ReactMarkdown from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkGfm from "remark-gfm";
import { CopyButton } from "@/components/copy-button";

function CodeBlock(props: ComponentProps<"pre">) {
  const ref = useRef<HTMLPreElement>(null);
  return (
    <div className="group/code relative">
      <pre ref={ref} {...props} />
      <CopyButton
        text={() => ref.current?.textContent ?? ""}
        label="Copy code"
        className="absolute top-2 right-2 bg-white/10 text-white/80 opacity-0 group-hover/code:opacity-100 hover:bg-white/20 focus-visible:opacity-100 max-md:opacity-100"
      />
    </div>
  );
}

/** Markdown with GitHub extensions and highlighted code. Raw HTML in replies is not rendered. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="prose-chat">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { detect: true, ignoreMissing: true }]]}
        components={{
          a: ({ node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
          pre: ({ node, ...props }) => <CodeBlock {...props} />,
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
