import "server-only";
import { db } from "@/lib/db/client";
import type { Model, Prisma } from "@/lib/db/generated/client";

type Tx = Prisma.TransactionClient;

export const listEnabledModels = () =>
  db.model.findMany({ where: { enabled: true }, orderBy: [{ isTee: "desc" }, { id: "asc" }] });

export const listAllModels = () => db.model.findMany({ orderBy: { id: "asc" } });

export const getModel = ({ id }: { id: string }, client: Tx = db) => client.model.findUnique({ where: { id } });

export const findModels = ({ ids }: { ids: string[] }, client: Tx = db) =>
  client.model.findMany({ where: { id: { in: ids } }, select: { id: true, enabled: true } });

export const updateModel = (
  { id, data }: { id: string; data: { enabled?: boolean; displayName?: string | null } },
  client: Tx = db,
) => client.model.update({ where: { id }, data });

export const setModelsEnabled = ({ ids, enabled }: { ids: string[]; enabled: boolean }, client: Tx = db) =>
  client.model.updateMany({ where: { id: { in: ids } }, data: { enabled } });

export type CatalogEntry = Omit<
  Prisma.ModelCreateInput,
  "enabled" | "displayName" | "createdAt" | "updatedAt" | "syncedAt" | "groups"
>;

export interface CatalogChange {
  count: number;
  /** ids that were not in the table before, and whether they arrived enabled */
  added: string[];
  addedEnabled: boolean;
  /** ids whose upstream facts (name, prices, context, modalities, TEE) changed */
  changed: string[];
}

const FACTS = ["name", "contextLength", "promptPrice", "completionPrice", "inputModalities", "isTee"] as const;

function sameFacts(row: Model, entry: CatalogEntry): boolean {
  return FACTS.every((key) => {
    const stored: unknown = row[key];
    const incoming: unknown = entry[key] ?? null;
    if (key === "promptPrice" || key === "completionPrice") return Number(String(stored)) === Number(String(incoming));
    return JSON.stringify(stored) === JSON.stringify(incoming);
  });
}

/**
 * Writes the upstream catalog in a few statements: new models are inserted in one batch with
 * `enabled` = `enableNew` (or all enabled when the table was empty: a new install works at once);
 * existing models get their upstream facts refreshed and keep the admin's `enabled` and
 * `displayName`. Call inside a transaction.
 */
export async function upsertCatalog(
  tx: Tx,
  entries: CatalogEntry[],
  { enableNew }: { enableNew: boolean },
): Promise<CatalogChange> {
  // Two instances starting together on one database sync one after the other.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(727003)`;
  const syncedAt = new Date();
  const unique = [...new Map(entries.map((entry) => [entry.id, entry])).values()];
  const firstSync = (await tx.model.count()) === 0;
  const existing = new Map(
    (await tx.model.findMany({ where: { id: { in: unique.map((e) => e.id) } } })).map((row) => [row.id, row]),
  );
  const fresh = unique.filter((entry) => !existing.has(entry.id));
  const addedEnabled = firstSync || enableNew;
  if (fresh.length > 0) {
    await tx.model.createMany({
      data: fresh.map((entry) => ({ ...entry, enabled: addedEnabled, syncedAt })),
      skipDuplicates: true,
    });
  }
  const changed = unique.filter((entry) => {
    const row = existing.get(entry.id);
    return row !== undefined && !sameFacts(row, entry);
  });
  for (const entry of changed) await tx.model.update({ where: { id: entry.id }, data: { ...entry, syncedAt } });
  const known = unique.filter((entry) => existing.has(entry.id)).map((entry) => entry.id);
  if (known.length > 0) await tx.model.updateMany({ where: { id: { in: known } }, data: { syncedAt } });
  return { count: unique.length, added: fresh.map((e) => e.id), addedEnabled, changed: changed.map((e) => e.id) };
}

/** `upsertCatalog` in its own transaction (the start-up sync, which no admin asked for). */
export const writeCatalog = (entries: CatalogEntry[], options: { enableNew: boolean }) =>
  db.$transaction((tx) => upsertCatalog(tx, entries, options), { timeout: 30_000 });
