// npm run db:copy -- --to postgresql://…: copies the stopped embedded workspace (PILLBOX_DATA_DIR, or
// --from) into an empty PostgreSQL database, checks it, and says what to set next.
import "./load-env";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { copyEmbeddedToPostgres, redactUrl } from "../lib/db/copy";

const USAGE = "usage: npm run db:copy -- --to postgresql://user:password@host:5432/database [--from <PILLBOX_DATA_DIR>]";

const optionsSchema = z.object({
  to: z
    .string({ error: "--to is required: the PostgreSQL database to copy into" })
    .regex(/^postgres(ql)?:\/\//i, "--to must be a postgresql:// URL"),
  from: z.string().min(1).optional(),
});

async function main() {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ options: { to: { type: "string" }, from: { type: "string" } }, strict: true }).values;
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]!.message}\n${USAGE}`);
  const { to, from } = parsed.data;
  const dataDir = path.resolve(from ?? process.env.PILLBOX_DATA_DIR ?? "./data");

  console.log(`Copying the embedded database in ${path.join(dataDir, "pglite")} to ${redactUrl(to)}`);
  const result = await copyEmbeddedToPostgres({ dataDir, targetUrl: to });
  console.log(`\nChecked ${result.tables.length} tables: row counts and the sums of their numeric columns match.`);
  for (const { table, rows, sums } of result.tables) {
    const summed = Object.entries(sums).filter(([, sum]) => sum !== "0");
    console.log(`  ${table}: ${rows} rows${summed.map(([column, sum]) => `, ${column} sum ${sum}`).join("")}`);
  }
  console.log(
    [
      "",
      `Done: ${result.rows} rows copied. Next:`,
      `  1. Set DATABASE_URL=${redactUrl(to)} (the URL you passed to --to) in .env or the server's environment.`,
      `  2. Remove PILLBOX_DATA_DIR: only the embedded database uses it. Keep ${dataDir} as a backup until you are happy.`,
      "  3. If UPLOAD_DIR is set, every instance must see that folder too (attachments' bytes live there).",
      "  4. Start Pillbox (npm start, or your service). Sessions stay valid: the session secret was copied too",
      "     (unless AUTH_SECRET is set, which then must stay the same).",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  console.error(`db:copy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
