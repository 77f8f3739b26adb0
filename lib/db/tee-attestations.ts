import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

/** The newest passing attestation of a model that has not expired: the attested-address cache. */
export const findValidAttestation = ({ modelId, now }: { modelId: string; now: Date }) =>
  db.teeAttestation.findFirst({
    where: { modelId, ok: true, expiresAt: { gt: now } },
    orderBy: { fetchedAt: "desc" },
    omit: { report: true },
  });

export const insertAttestation = (data: Prisma.TeeAttestationUncheckedCreateInput) =>
  db.teeAttestation.create({ data, omit: { report: true } });
