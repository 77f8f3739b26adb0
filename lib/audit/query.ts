import "server-only";
import { z } from "zod";
import { listAuditEntries } from "@/lib/db/audit";
import { AppError } from "@/lib/errors";

export const auditQuery = z.object({
  actorId: z.uuid().optional(),
  action: z.string().max(100).optional(),
  targetId: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type AuditQuery = z.infer<typeof auditQuery>;

export interface PublicAuditEntry {
  id: string;
  createdAt: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

const encodeCursor = (entry: { createdAt: Date; id: string }) =>
  Buffer.from(`${entry.createdAt.toISOString()}|${entry.id}`).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const createdAt = new Date(at ?? "");
  if (!id || Number.isNaN(createdAt.getTime()) || !z.uuid().safeParse(id).success) {
    throw new AppError("bad_request:audit", "That cursor is not valid.");
  }
  return { createdAt, id };
}

/** One page of the audit log, newest first, and the cursor of the next page (null at the end). */
export async function auditPage(query: AuditQuery): Promise<{ entries: PublicAuditEntry[]; nextCursor: string | null }> {
  const rows = await listAuditEntries({
    actorId: query.actorId,
    action: query.action,
    targetId: query.targetId,
    from: query.from,
    to: query.to,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() })),
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!) : null,
  };
}
