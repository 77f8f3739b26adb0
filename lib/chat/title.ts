/** Chat titles: the automatic one (the first words) and the title model's, cleaned. No server code: the chat page uses it too. */

const TITLE_LENGTH = 60;

const clip = (line: string) => (line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line);

/** A chat's automatic title: the first words of its first message, on one line. */
export function titleFrom(text: string): string {
  return clip(text.replace(/\s+/g, " ").trim()) || "New chat";
}

const QUOTES = /^["'`“”‘’«»„]+|["'`“”‘’«»„]+$/g;

/**
 * What the title model said, as a title: its first line without a "Title:" label, markdown marks,
 * quotes or a final full stop, at most 60 characters. Null when nothing is left.
 */
export function cleanGeneratedTitle(raw: string): string | null {
  const line =
    raw
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  let title = line.replace(/^#+\s*/, "").replace(/^title\s*:\s*/i, "");
  for (let previous = ""; previous !== title; ) {
    previous = title;
    title = title.replace(/^[*_]+|[*_]+$/g, "").replace(QUOTES, "").replace(/[.:;,!]+$/, "").trim();
  }
  title = title.replace(/\s+/g, " ");
  return title ? clip(title) : null;
}
