import Link from "next/link";
import { AdminPageHeader } from "@/components/admin-page-header";
import { AuditChange, targetLabel } from "@/components/audit-change";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { auditPage, auditQuery, type PublicAuditEntry } from "@/lib/audit/query";
import { requirePageAdmin } from "@/lib/auth/session";
import { listAuditActions } from "@/lib/db/audit";
import { listUsers } from "@/lib/db/users";
import { isAppError } from "@/lib/errors";

export const metadata = { title: "Audit log · Pillbox admin" };

const PAGE_SIZE = 50;
const FILTERS = ["actorId", "action", "targetId", "from", "to"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number] | "cursor", string>>;

const DAY_MS = 24 * 60 * 60 * 1000;
/** A `YYYY-MM-DD` from a date input as a UTC instant; `to` is inclusive, so it ends a day later. */
const dayStart = (day: string | undefined, plusDays = 0) =>
  day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * DAY_MS) : day;

function readFilters(params: Record<string, string | string[] | undefined>): Filters {
  const filters: Filters = {};
  for (const key of [...FILTERS, "cursor"] as const) {
    const value = params[key];
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (text) filters[key] = text;
  }
  return filters;
}

async function loadPage(filters: Filters) {
  const query = auditQuery.safeParse({
    ...filters,
    from: dayStart(filters.from),
    to: dayStart(filters.to, 1),
    limit: PAGE_SIZE,
  });
  if (!query.success) return { error: "Those filters are not valid: check the dates.", entries: [], nextCursor: null };
  try {
    return { error: null, ...(await auditPage(query.data)) };
  } catch (error) {
    if (isAppError(error)) return { error: error.message, entries: [], nextCursor: null };
    throw error;
  }
}

const href = (filters: Filters) => {
  const search = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1])));
  return search.size ? `/admin/audit?${search}` : "/admin/audit";
};

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageAdmin();
  const filters = readFilters(await searchParams);
  const [page, users, actions] = await Promise.all([loadPage(filters), listUsers(), listAuditActions()]);
  const { cursor, ...withoutCursor } = filters;
  const selectClass = "h-9 w-full rounded-md border border-input bg-background px-2 text-sm";

  return (
    <div className="flex flex-col gap-4">
      <AdminPageHeader title="Audit log">
        Every admin change, newest first: who, what, before and after. Entries cannot be edited or deleted.
      </AdminPageHeader>

      <form method="get" action="/admin/audit" className="grid gap-3 rounded-lg border p-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_1fr_auto_auto_auto] lg:items-end">
        <div className="grid gap-1.5">
          <Label htmlFor="audit-actor">Actor</Label>
          <select id="audit-actor" name="actorId" defaultValue={filters.actorId ?? ""} className={selectClass}>
            <option value="">Anyone</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.email}
                {user.deletedAt ? " (deleted)" : ""}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-action">Action</Label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={selectClass}>
            <option value="">Any action</option>
            {actions.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-target">Target id</Label>
          <Input id="audit-target" name="targetId" defaultValue={filters.targetId} autoComplete="off" placeholder="e.g. a group id" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-from">From</Label>
          <Input id="audit-from" name="from" type="date" defaultValue={filters.from} />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-to">To</Label>
          <Input id="audit-to" name="to" type="date" defaultValue={filters.to} />
        </div>
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          <Button variant="ghost" asChild>
            <Link href="/admin/audit">Clear</Link>
          </Button>
        </div>
      </form>

      {page.error && (
        <p role="alert" className="text-sm text-destructive">
          {page.error}
        </p>
      )}

      {page.entries.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          {Object.keys(filters).length ? "No entries match." : "No admin changes yet."}
        </p>
      ) : (
        <>
          <ul className="flex flex-col gap-3 sm:hidden" data-testid="audit-list">
            {page.entries.map((entry) => (
              <AuditCard key={entry.id} entry={entry} filters={withoutCursor} />
            ))}
          </ul>
          <div className="max-sm:hidden">
            <Table data-testid="audit-table">
              <TableHeader>
                <TableRow>
                  <TableHead>Time (UTC)</TableHead>
                  <TableHead>Actor</TableHead>
                  <TableHead>Action</TableHead>
                  <TableHead>Target</TableHead>
                  <TableHead>Change</TableHead>
                  <TableHead>IP</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.entries.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} filters={withoutCursor} />
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}

      <nav className="flex justify-between gap-2" aria-label="Pages">
        {cursor ? (
          <Link href={href(withoutCursor)} className="text-sm text-muted-foreground hover:text-foreground">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor && (
          <Link href={href({ ...withoutCursor, cursor: page.nextCursor })} className="text-sm font-medium hover:underline" data-testid="audit-older">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}

const time = (entry: PublicAuditEntry) => (
  <time dateTime={entry.createdAt}>{entry.createdAt.replace("T", " ").slice(0, 19)}</time>
);

function AuditTarget({ entry, filters }: { entry: PublicAuditEntry; filters: Filters }) {
  const label = targetLabel(entry.before, entry.after);
  return (
    <>
      <div className="text-xs text-muted-foreground">
        {entry.targetType}
        {label && <span className="text-foreground"> · {label}</span>}
      </div>
      {entry.targetId && (
        <Link
          href={href({ ...filters, targetId: entry.targetId })}
          title={`Only entries about ${entry.targetId}`}
          className="block max-w-40 truncate font-mono text-xs text-muted-foreground hover:text-foreground hover:underline"
        >
          {entry.targetId}
        </Link>
      )}
    </>
  );
}

/** At phone width an entry is a card: the table's six columns do not fit. */
function AuditCard({ entry, filters }: { entry: PublicAuditEntry; filters: Filters }) {
  return (
    <li className="flex flex-col gap-2 rounded-lg border p-3 text-sm" data-testid="audit-card">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Badge variant="outline" className="font-mono">
          {entry.action}
        </Badge>
        <span className="text-xs text-muted-foreground tabular-nums">{time(entry)} UTC</span>
      </div>
      <div className="truncate">
        {entry.actorEmail ?? "system"}
        {entry.ip && <span className="font-mono text-xs text-muted-foreground"> · {entry.ip}</span>}
      </div>
      <div className="min-w-0">
        <AuditTarget entry={entry} filters={filters} />
      </div>
      <AuditChange before={entry.before} after={entry.after} />
    </li>
  );
}

function AuditRow({ entry, filters }: { entry: PublicAuditEntry; filters: Filters }) {
  return (
    <TableRow data-testid="audit-row" data-action={entry.action} className="align-top">
      <TableCell className="align-top text-muted-foreground tabular-nums">
        {time(entry)}
      </TableCell>
      <TableCell className="align-top">{entry.actorEmail ?? <span className="text-muted-foreground">system</span>}</TableCell>
      <TableCell className="align-top">
        <Badge variant="outline" className="font-mono">
          {entry.action}
        </Badge>
      </TableCell>
      <TableCell className="align-top">
        <AuditTarget entry={entry} filters={filters} />
      </TableCell>
      <TableCell className="align-top whitespace-normal">
        <AuditChange before={entry.before} after={entry.after} />
      </TableCell>
      <TableCell className="align-top font-mono text-xs text-muted-foreground">{entry.ip ?? "—"}</TableCell>
    </TableRow>
  );
}
