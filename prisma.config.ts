// Read by the Prisma CLI (`prisma generate`, and `prisma migrate status|deploy` where a native engine exists).
// The app itself applies migrations with lib/db/migrate.ts and never reads this file.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  // Optional so that `generate` works without a database; only PostgreSQL URLs make sense to the CLI.
  datasource: { url: process.env.DATABASE_URL },
});
