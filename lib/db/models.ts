import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export const listEnabledModels = () =>
  db.model.findMany({ where: { enabled: true }, orderBy: [{ isTee: "desc" }, { id: "asc" }] });

export const listAllModels = () => db.model.findMany({ orderBy: { id: "asc" } });

export const getModel = ({ id }: { id: string }) => db.model.findUnique({ where: { id } });

export const setModelEnabled = ({ id, enabled }: { id: string; enabled: boolean }) =>
  db.model.update({ where: { id }, data: { enabled } });

export type CatalogEntry = Omit<Prisma.ModelCreateInput, "enabled" | "createdAt" | "updatedAt" | "syncedAt">;

/** Upserts the upstream catalog; an admin's `enabled` choice is kept across syncs. */
export async function upsertCatalog(entries: CatalogEntry[]): Promise<number> {
  const syncedAt = new Date();
  await db.$transaction(
    entries.map((entry) =>
      db.model.upsert({
        where: { id: entry.id },
        create: { ...entry, syncedAt },
        update: { ...entry, syncedAt },
      }),
    ),
  );
  return entries.length;
}
