export type ReplyStyle = "echo" | "demo";

/** Splits text into token-ish pieces (a word with its leading whitespace); joining them gives the text back. */
export function splitIntoPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

const FILLER = ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog."] as const;

/** Exactly `count` one-word pieces (what `[[fake:tokens N]]` streams), for benchmarks that need a known chunk count. */
export function countedPieces(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${i === 0 ? "" : " "}${FILLER[i % FILLER.length]}`);
}

export function echoReply(userText: string): string {
  return `Echo: ${userText === "" ? "(no text)" : userText}`;
}

// FNV-1a: a stable, dependency-free way to vary the demo answer by prompt.
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const pick = <T>(items: readonly T[], seed: number, salt: number): T => items[(seed + salt) % items.length];

const OPENERS = [
  "Here is how a real model might approach it:",
  "A good answer would usually cover a few points:",
  "Let's break that down into a few steps:",
  "Here's a quick, structured take:",
] as const;

const POINTS = [
  "**Clarify the goal** – restate what success looks like before diving in.",
  "**Start small** – get a minimal version working, then iterate.",
  "**Check the constraints** – time, budget and the tools you already have.",
  "**Write it down** – a short note saves the next person an hour.",
  "**Measure it** – pick one number that tells you whether it worked.",
  "**Ask the team** – someone in this workspace has probably done it before.",
] as const;

const SNIPPETS = [
  { lang: "ts", code: 'const answer = await ask("redpill");\nconsole.log(answer.text);' },
  { lang: "python", code: 'def greet(name: str) -> str:\n    return f"Hello, {name}!"' },
  { lang: "bash", code: 'curl -s "$REDPILL_URL/v1/models" | jq ".data[].id"' },
] as const;

const TIPS = [
  "Tip: add `[[fake:error 429]]` to a message to see how rate limits are handled.",
  "Tip: add `[[fake:slow 200]]` to a message to watch a slow stream, then press Stop.",
  "Tip: add `[[fake:cut 3]]` to a message to simulate a dropped connection.",
] as const;

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (oneLine === "") return "(an empty message)";
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…` : oneLine;
}

/** A friendly markdown answer that shows off rendering; deterministic for a given model and prompt. */
export function demoReply(model: string, userText: string): string {
  const seed = hash(`${model}\n${userText}`);
  const first = seed % POINTS.length;
  const points = [0, 3, 5].map((offset) => POINTS[(first + offset) % POINTS.length]);
  const snippet = pick(SNIPPETS, seed, 7);
  return [
    `_This is a simulated demo reply from **${model}** — Pillbox is running without a RedPill API key, so no real model was called._`,
    "",
    `You asked:`,
    "",
    `> ${quote(userText)}`,
    "",
    pick(OPENERS, seed, 3),
    "",
    ...points.map((p, i) => `${i + 1}. ${p}`),
    "",
    "A tiny example, just to show code highlighting:",
    "",
    "```" + snippet.lang,
    snippet.code,
    "```",
    "",
    pick(TIPS, seed, 11),
  ].join("\n");
}

/** What a reasoning model "thinks" before it answers; deterministic for a prompt. */
export function reasoningFor(userText: string): string {
  return [
    `The user wrote: "${quote(userText)}".`,
    "Let me think about what they want and what a useful answer needs.",
    "First the goal, then the constraints, then one concrete next step.",
    "I'll keep the answer short and structured.",
  ].join(" ");
}

/**
 * The reply to a request for a conversation title: the first words of the conversation's first
 * message in Title Case, in quotes (as models often add them; Pillbox strips them).
 */
export function titleReply(firstUserText: string): string {
  const words = firstUserText.replace(/[^\p{L}\p{N}\s'-]/gu, " ").split(/\s+/).filter(Boolean).slice(0, 5);
  if (words.length === 0) return '"A New Conversation"';
  return `"${words.map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join(" ")}"`;
}
