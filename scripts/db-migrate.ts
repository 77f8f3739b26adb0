// npm run db:migrate: applies pending prisma/migrations to DATABASE_URL (or the embedded PGlite).
import "./load-env";
import { migrateDatabase } from "../lib/db/migrate-cli";

migrateDatabase()
  .then(({ applied }) => {
    if (applied.length === 0) console.log("database: already up to date");
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
