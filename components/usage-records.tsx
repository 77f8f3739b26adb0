import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatMs, formatUsd } from "@/lib/usage/format";
import type { UsageRecordRow } from "@/lib/usage/records";

const statusVariant = {
  pending: "outline",
  ok: "secondary",
  error: "destructive",
  aborted: "warning",
  interrupted: "warning",
} as const;

const verificationBadge = {
  verified: { variant: "tee", label: "verified" },
  failed: { variant: "destructive", label: "not verified" },
  pending: { variant: "outline", label: "verifying" },
} as const;

/** The ledger rows the filters select, newest first, with an "Older →" link to the next page. */
export function UsageRecordsTable({
  records,
  olderHref,
  newestHref,
}: {
  records: UsageRecordRow[];
  olderHref: string | null;
  /** back to the first page (shown on later pages) */
  newestHref: string | null;
}) {
  return (
    <section className="flex flex-col gap-2" id="records">
      {records.length === 0 ? (
        <p className="rounded-lg border border-dashed p-8 text-center text-sm text-muted-foreground">
          No usage matches. Replies show up here as soon as someone chats.
        </p>
      ) : (
        <div className="rounded-xl border">
          <Table data-testid="usage-table">
            <TableHeader>
              <TableRow>
                <TableHead>Time (UTC)</TableHead>
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
              {records.map((row) => (
                <RecordRow key={row.id} row={row} />
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      <div className="flex justify-end gap-2">
        {newestHref && (
          <Button asChild variant="ghost" size="sm">
            <Link href={newestHref}>← Newest</Link>
          </Button>
        )}
        {olderHref && (
          <Button asChild variant="outline" size="sm">
            <Link href={olderHref} data-testid="usage-older">
              Older →
            </Link>
          </Button>
        )}
      </div>
    </section>
  );
}

function RecordRow({ row }: { row: UsageRecordRow }) {
  const approx = (tokens: number) => (row.usageEstimated && tokens > 0 ? `≈${tokens}` : String(tokens));
  const cost = row.status === "pending" ? row.reservedUsd : row.costUsd;
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
        {row.verification && (
          <Badge
            variant={verificationBadge[row.verification].variant}
            className="ml-1"
            data-testid="usage-verification"
            title="Enclave verification of the reply"
          >
            {verificationBadge[row.verification].label}
          </Badge>
        )}
      </TableCell>
      <TableCell className="text-right tabular-nums">{approx(row.promptTokens)}</TableCell>
      <TableCell className="text-right tabular-nums">{approx(row.completionTokens)}</TableCell>
      <TableCell className="text-right tabular-nums" title={row.status === "pending" ? "reserved" : undefined}>
        {formatUsd(cost)}
      </TableCell>
      <TableCell className="text-right tabular-nums">{formatMs(row.ttftMs)}</TableCell>
      <TableCell className="text-right tabular-nums">{formatMs(row.durationMs)}</TableCell>
    </TableRow>
  );
}
