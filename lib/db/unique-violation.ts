/**
 * A unique-constraint error: Prisma's P2002, or the driver adapter's UniqueConstraintViolation (raw
 * queries). Two requests racing to create the same email, or a retried insert whose first attempt
 * was committed after all (an outage swallowed the answer), so the row is already there.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown } } } };
  return e.code === "P2002" || e.meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation";
}
