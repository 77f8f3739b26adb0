import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { insertAuditEntry, type Tx } from "@/lib/db/audit";
import { clientIp } from "@/lib/http/handler";

/** Who did it and from where. */
export interface AuditActor {
  id: string | null;
  email: string | null;
  ip: string | null;
}

export interface AuditEntry {
  /** `<target>.<verb>`, e.g. `group.create`, `user.disable` */
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
}

export function auditActor(user: { id: string; email: string }, headers: Headers): AuditActor {
  return { id: user.id, email: user.email, ip: clientIp(headers) };
}

/** Dates, Decimals and Sets become plain JSON, as a reader of the log expects them. */
function plain(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (v instanceof Set ? [...v] : v))) as Prisma.InputJsonValue;
}

export type Audit = (entry: AuditEntry) => Promise<void>;

/**
 * Runs an admin change and writes its audit row in the same transaction: either both happen or
 * neither does.
 */
export function withAudit<T>(actor: AuditActor, work: (tx: Tx, audit: Audit) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) =>
    work(tx, async (entry) => {
      await insertAuditEntry(tx, {
        actorId: actor.id,
        actorEmail: actor.email,
        ip: actor.ip,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        before: plain(entry.before),
        after: plain(entry.after),
      });
    }),
  );
}
