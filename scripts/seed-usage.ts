/**
 * npm run seed:usage -- --rows 1000000 [--database-url postgres://…]
 *
 * Adds realistic usage rows (and the seed users, groups and models they belong to) to a migrated
 * PostgreSQL database, by default DATABASE_URL. For benchmarks and demos, never production.
 */
import "./load-env";
import { parseArgs } from "node:util";
import { z } from "zod";
import { seedUsage } from "./seed-usage-data";

const args = z.object({
  rows: z.coerce.number().int().min(1).max(50_000_000).default(100_000),
  "database-url": z
    .string()
    .regex(/^postgres(ql)?:\/\//, "--database-url (or DATABASE_URL) must be a postgres:// URL: seeding is for PostgreSQL"),
});

async function main() {
  const { values } = parseArgs({ options: { rows: { type: "string" }, "database-url": { type: "string" } } });
  const parsed = args.safeParse({ ...values, "database-url": values["database-url"] ?? process.env.DATABASE_URL ?? "" });
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
    console.error("usage: npm run seed:usage -- --rows 1000000 [--database-url postgres://…]");
    process.exit(2);
  }
  await seedUsage({ databaseUrl: parsed.data["database-url"], rows: parsed.data.rows });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
