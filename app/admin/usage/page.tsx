import { AdminPageHeader } from "@/components/admin-page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { latestUsageRows, type UsageRow } from "@/lib/usage/rows";

export const metadata = { title: "Usage · Pillbox admin" };

const statusVariant = {
  pending: "outline",
  ok: "secondary",
  error: "destructive",
  aborted: "warning",
  interrupted: "warning",
} as const;

function formatUsd(value: string): string {
  const n = Number(value);
  return n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`;
}

const formatMs = (ms: number | null) => (ms === null ? "—" : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

export default async function UsagePage() {
  await requirePageAdmin();
  const rows = await latestUsageRows({ limit: 200 });
  return (
    <div className="flex flex-col gap-4">
      <AdminPageHeader title="Usage">
        The latest upstream calls, newest first. Estimated token counts are marked ≈.
      </AdminPageHeader>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          No usage yet. Replies show up here as soon as someone chats.
        </p>
      ) : (
        <Table data-testid="usage-table">
          <TableHeader>
            <TableRow>
              <TableHead>Time</TableHead>
              <TableHead>User</TableHead>
              <TableHead>Model</TableHead>
              <TableHead>Status</TableHead>
              <TableHead className="text-right">Prompt</TableHead>
              <TableHead className="text-right">Completion</TableHead>
              <TableHead className="text-right">Cost</TableHead>
              <TableHead className="text-right">First token</TableHead>
              <TableHead className="text-right">Duration</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <UsageTableRow key={row.id} row={row} />
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}

function UsageTableRow({ row }: { row: UsageRow }) {
  const approx = (tokens: number) => (row.usageEstimated && tokens > 0 ? `≈${tokens}` : String(tokens));
  return (
    <TableRow data-testid="usage-row" data-status={row.status}>
      <TableCell className="text-muted-foreground">
        <time dateTime={row.createdAt}>{row.createdAt.replace("T", " ").slice(0, 19)}</time>
      </TableCell>
      <TableCell title={row.userEmail}>{row.userName}</TableCell>
      <TableCell className="font-mono text-xs">{row.modelId}</TableCell>
      <TableCell>
        <Badge variant={statusVariant[row.status]} title={row.errorCode ?? undefined}>
          {row.status}
          {row.errorCode && row.status === "error" ? ` · ${row.errorCode.replace(/^upstream_/, "")}` : ""}
        </Badge>
      </TableCell>
      <TableCell className="text-right tabular-nums">{approx(row.promptTokens)}</TableCell>
      <TableCell className="text-right tabular-nums">{approx(row.completionTokens)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatUsd(row.costUsd)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatMs(row.ttftMs)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatMs(row.durationMs)}</TableCell>
    </TableRow>
  );
}
