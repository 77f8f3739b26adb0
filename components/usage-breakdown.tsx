"use client";

import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from "@tanstack/react-table";
import { ArrowDownIcon, ArrowUpDownIcon, ArrowUpIcon } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { formatCount, formatUsd } from "@/lib/usage/format";

export interface BreakdownItem {
  key: string;
  label: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  /** drill-down link to this key's rows */
  href?: string;
}

const numeric = (header: string, get: (row: BreakdownItem) => number, format: (row: BreakdownItem) => string): ColumnDef<BreakdownItem> => ({
  id: header,
  header,
  accessorFn: get,
  cell: ({ row }) => format(row.original),
  sortDescFirst: true,
  meta: { numeric: true },
});

const columns: ColumnDef<BreakdownItem>[] = [
  {
    id: "name",
    header: "Name",
    accessorFn: (row) => row.label,
    cell: ({ row }) =>
      row.original.href ? (
        <Link href={row.original.href} className="underline-offset-4 hover:underline" title={row.original.key}>
          {row.original.label}
        </Link>
      ) : (
        <span title={row.original.key}>{row.original.label}</span>
      ),
  },
  numeric("Requests", (r) => r.requests, (r) => formatCount(r.requests)),
  numeric("Tokens", (r) => r.promptTokens + r.completionTokens, (r) => formatCount(r.promptTokens + r.completionTokens)),
  numeric("Cost", (r) => Number(r.costUsd), (r) => formatUsd(r.costUsd)),
];

/** A breakdown (by user, group or model), sortable by any column. */
export function UsageBreakdownTable({ title, items, testId }: { title: string; items: BreakdownItem[]; testId: string }) {
  const [sorting, setSorting] = useState<SortingState>([{ id: "Cost", desc: true }]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table's documented hook
  const table = useReactTable({
    data: items,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <section className="min-w-0 rounded-xl border" data-testid={testId}>
      <h2 className="border-b px-3 py-2 text-sm font-semibold">{title}</h2>
      {items.length === 0 ? (
        <p className="p-4 text-sm text-muted-foreground">No usage in this period.</p>
      ) : (
        <Table>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numericColumn = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  const Icon = sorted === "asc" ? ArrowUpIcon : sorted === "desc" ? ArrowDownIcon : ArrowUpDownIcon;
                  return (
                    <TableHead key={header.id} className={numericColumn ? "text-right" : undefined} aria-sort={sorted ? (sorted === "asc" ? "ascending" : "descending") : undefined}>
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className="inline-flex items-center gap-1 hover:text-foreground"
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <Icon className={sorted ? "size-3" : "size-3 opacity-40"} />
                      </button>
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.map((row) => (
              <TableRow key={row.id} data-testid="breakdown-row">
                {row.getVisibleCells().map((cell) => {
                  const numericColumn = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                  return (
                    <TableCell key={cell.id} className={numericColumn ? "text-right tabular-nums" : "max-w-48 truncate"}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
