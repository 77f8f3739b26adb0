import { ArrowRightIcon } from "lucide-react";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function short(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A readable name for an entry's target, from what it recorded (a group's or a user's name). */
export function targetLabel(before: unknown, after: unknown): string | null {
  for (const side of [after, before]) {
    if (!isObject(side)) continue;
    for (const key of ["name", "group", "email"]) if (typeof side[key] === "string") return side[key];
  }
  return null;
}

/** The fields that differ between before and after (all of them for a create or a delete). */
export function changedFields(before: unknown, after: unknown): { key: string; before: unknown; after: unknown }[] {
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys.filter((key) => JSON.stringify(b[key]) !== JSON.stringify(a[key])).map((key) => ({ key, before: b[key], after: a[key] }));
}

/** A compact before → after for one audit entry, with the full JSON one click away. */
export function AuditChange({ before, after }: { before: unknown; after: unknown }) {
  if (before == null && after == null) return <span className="text-muted-foreground">—</span>;
  const fields = changedFields(before, after);
  const onlyAfter = before == null;
  const onlyBefore = after == null;
  return (
    <div className="flex min-w-56 flex-col gap-1 text-xs">
      <ul className="flex flex-col gap-0.5">
        {fields.slice(0, 5).map((field) => (
          <li key={field.key} className="flex flex-wrap items-center gap-1">
            <span className="font-medium">{field.key}:</span>
            {!onlyAfter && <span className={onlyBefore ? "" : "text-muted-foreground line-through"}>{short(field.before)}</span>}
            {!onlyAfter && !onlyBefore && <ArrowRightIcon className="size-3 text-muted-foreground" />}
            {!onlyBefore && <span>{short(field.after)}</span>}
          </li>
        ))}
        {fields.length > 5 && <li className="text-muted-foreground">and {fields.length - 5} more</li>}
        {fields.length === 0 && <li className="text-muted-foreground">no field changed</li>}
      </ul>
      <details className="group">
        <summary className="cursor-pointer text-muted-foreground select-none hover:text-foreground">JSON</summary>
        <pre className="mt-1 max-w-md overflow-x-auto rounded-md bg-muted p-2 font-mono text-[11px] whitespace-pre-wrap break-all">
          {JSON.stringify({ before: before ?? null, after: after ?? null }, null, 2)}
        </pre>
      </details>
    </div>
  );
}
