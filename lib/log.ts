import "server-only";

/**
 * Structured log lines on stderr. Every line passes through `redact`, so the upstream key can
 * never reach the log even when an upstream error message or URL happens to contain it.
 */
type Level = "info" | "warn" | "error";

function secrets(): string[] {
  const key = process.env.REDPILL_API_KEY;
  return key && key.length >= 8 ? [key] : [];
}

export function redact(text: string): string {
  return secrets().reduce((out, secret) => out.split(secret).join("[redacted]"), text);
}

function describe(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? { cause: error.cause.message } : {};
  return { error: error.message, name: error.name, ...cause };
}

function write(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  const { err, ...rest } = fields;
  const line = JSON.stringify({
    time: new Date().toISOString(),
    level,
    message,
    ...rest,
    ...(err === undefined ? {} : describe(err)),
  });
  (level === "info" ? console.log : console.error)(redact(line));
}

export const log = {
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
