/**
 * npm run user:create -- --email a@b.c --password '…' [--name 'Ada'] [--role admin|member]
 */
import "./load-env";
import { parseArgs } from "node:util";
import { z } from "zod";

const args = z.object({
  email: z.email("--email must be an email address"),
  password: z.string().min(8, "--password needs at least 8 characters"),
  name: z.string().trim().min(1).optional(),
  role: z.enum(["admin", "member"]).default("member"),
});

async function main() {
  const { values } = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      role: { type: "string" },
    },
  });
  const parsed = args.safeParse(values);
  if (!parsed.success) {
    console.error(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
    console.error("usage: npm run user:create -- --email a@b.c --password secret123 [--name Ada] [--role admin|member]");
    process.exit(2);
  }
  const { email, password, name, role } = parsed.data;
  const { migrateDatabase } = await import("../lib/db/migrate-cli");
  await migrateDatabase();
  const { createAccount } = await import("../lib/auth/accounts");
  // Audited like an admin's POST /api/admin/users, with no actor: whoever runs this has the server.
  const user = await createAccount(
    { id: null, email: null, ip: null },
    { email, name: name ?? email.split("@")[0]!, password, role: role === "admin" ? "ADMIN" : "MEMBER" },
  );
  console.log(`Created ${user.role.toLowerCase()} ${user.email} (${user.id}).`);
  const { disconnectDb } = await import("../lib/db/client");
  await disconnectDb();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
