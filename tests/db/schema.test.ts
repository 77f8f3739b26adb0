// The migrations build the schema on both backends, are recorded exactly as Prisma Migrate records them,
// and every model and column round-trips through the Prisma Client.
import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDbConnection, resolveDbTarget } from "@/lib/db/adapter";
import { createDatabase, type Database } from "@/lib/db/client";
import { EVERYONE_GROUP_ID } from "@/lib/db/groups";
import { Prisma } from "@/lib/db/generated/client";
import { MIGRATIONS_DIR, applyMigrations, migrationChecksum, readMigrations } from "@/lib/db/migrate";
import {
  MIGRATION_LOCK_TOML,
  createSchemaEngine,
  diagnoseHistory,
  diffDatabaseToSchema,
  engineAdapter,
  migrationList,
} from "@/lib/db/schema-engine";
import { createTestDatabase, postgresReachable } from "../support/postgres";

const pgSkipReason = await postgresReachable();
if (pgSkipReason) console.warn(`skipping the PostgreSQL half of tests/db/schema.test.ts: ${pgSkipReason}`);

const migrations = await readMigrations();
const migrationNames = migrations.map((m) => m.name);
const schemaFiles = [{ path: "schema.prisma", content: await readFile("prisma/schema.prisma", "utf8") }];

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "pillbox-migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function backendSuite(label: string, open: () => Promise<{ url: string; cleanup: () => Promise<void> }>): void {
  describe(label, () => {
    let database: Database;
    let cleanup: () => Promise<void> = async () => {};
    const scratchDirs: string[] = [];

    beforeAll(async () => {
      const opened = await open();
      cleanup = opened.cleanup;
      database = createDatabase(opened.url);
    });

    afterAll(async () => {
      await database?.close();
      await cleanup();
      await Promise.all(scratchDirs.map((d) => rm(d, { recursive: true, force: true })));
    });

    it("applies every migration to the empty database", async () => {
      const started = Date.now();
      const result = await applyMigrations(database.connection);
      console.info(`${label}: applied ${result.applied.length} migration(s) in ${Date.now() - started} ms`);
      expect(result.applied).toEqual(migrationNames);
      expect(result.alreadyApplied).toEqual([]);
    });

    it("records each migration in _prisma_migrations as Prisma does", async () => {
      const rows = await database.prisma.$queryRaw<
        {
          id: string;
          checksum: string;
          finished_at: Date | null;
          migration_name: string;
          logs: string | null;
          rolled_back_at: Date | null;
          started_at: Date;
          applied_steps_count: number;
        }[]
      >`SELECT * FROM _prisma_migrations ORDER BY started_at`;
      expect(rows.map((r) => r.migration_name)).toEqual(migrationNames);
      for (const [i, row] of rows.entries()) {
        const file = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(migrationChecksum(file));
        expect(row.checksum).toBe(migrations[i]?.checksum);
        expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
        expect(row.logs).toBeNull();
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    });

    it("satisfies Prisma's own schema engine: clean history (and no drift from schema.prisma)", async () => {
      const engine = await createSchemaEngine(engineAdapter(database.connection.adapter), schemaFiles);
      const list = migrationList(MIGRATIONS_DIR, migrations, MIGRATION_LOCK_TOML);
      expect(await diagnoseHistory(engine, list)).toEqual({
        editedMigrationNames: [],
        failedMigrationNames: [],
        hasMigrationsTable: true,
        history: null,
      });
      // The engine cannot introspect PostgreSQL through adapter-pg ("Column type 'char' could not be
      // deserialized"); the drift check runs on PGlite, which executed the same migration SQL.
      if (database.connection.target.kind === "pglite") expect(await diffDatabaseToSchema(engine, schemaFiles)).toBeNull();
      engine.free();
    });

    it("does nothing when applied again", async () => {
      const result = await applyMigrations(database.connection);
      expect(result).toEqual({ applied: [], alreadyApplied: migrationNames });
      const [{ count }] = await database.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM _prisma_migrations`;
      expect(Number(count)).toBe(migrationNames.length);
    });

    it("refuses to run when an applied migration was edited, and tolerates CRLF line endings", async () => {
      const dir = await copyMigrations();
      scratchDirs.push(dir);
      const first = path.join(dir, migrationNames[0]!, "migration.sql");
      const original = await readFile(first, "utf8");
      await writeFile(first, original.replaceAll("\n", "\r\n"));
      expect((await applyMigrations(database.connection, { migrationsDir: dir })).applied).toEqual([]);
      await writeFile(first, `${original}\n-- an afterthought\n`);
      await expect(applyMigrations(database.connection, { migrationsDir: dir })).rejects.toThrow(
        new RegExp(`${migrationNames[0]} were edited after being applied`),
      );
    });

    it("rolls a failing migration back completely and records nothing", async () => {
      const dir = await copyMigrations();
      scratchDirs.push(dir);
      await mkdir(path.join(dir, "99999999999999_broken"));
      await writeFile(
        path.join(dir, "99999999999999_broken", "migration.sql"),
        'CREATE TABLE "Scratch" ("id" INTEGER);\nSELECT no_such_function();\n',
      );
      await expect(applyMigrations(database.connection, { migrationsDir: dir })).rejects.toThrow(
        /migration 99999999999999_broken failed and was rolled back/,
      );
      const [{ scratch, rows }] = await database.prisma.$queryRaw<{ scratch: string | null; rows: bigint }[]>`
        SELECT to_regclass('"Scratch"')::text AS scratch,
               (SELECT count(*) FROM _prisma_migrations WHERE migration_name = '99999999999999_broken') AS rows`;
      expect(scratch).toBeNull();
      expect(Number(rows)).toBe(0);
    });

    it("covers every column of every table in this test", async () => {
      const columns = await database.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
        SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
      const actual: Record<string, string[]> = {};
      for (const c of columns) (actual[c.table_name] ??= []).push(c.column_name);
      for (const list of Object.values(actual)) list.sort();
      expect(actual).toEqual(COVERED_COLUMNS);
    });

    it("round-trips User, including the unique email, enum role and @updatedAt", async () => {
      const { prisma } = database;
      const ada = await prisma.user.create({ data: { email: "ada@example.com", name: "Ada", passwordHash: "h1" } });
      expect(ada.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(ada.role).toBe("MEMBER");
      expect(ada.disabledAt).toBeNull();
      expect(ada.createdAt).toBeInstanceOf(Date);
      const disabledAt = new Date("2025-03-04T05:06:07.891Z");
      const updated = await prisma.user.update({
        where: { id: ada.id },
        data: { role: "ADMIN", disabledAt, name: "Ada L.", passwordHash: "h2" },
      });
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(ada.updatedAt.getTime());
      const read = await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.com" } });
      expect(read).toEqual({ ...updated, disabledAt });
      expect(read.role).toBe("ADMIN");
      await expect(
        prisma.user.create({ data: { email: "ada@example.com", name: "Twin", passwordHash: "x" } }),
      ).rejects.toMatchObject({ code: "P2002" });
    });

    it("round-trips Setting, keyed by name", async () => {
      const { prisma } = database;
      const created = await prisma.setting.create({ data: { key: "auth_secret", value: "s3cret" } });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await prisma.setting.findUniqueOrThrow({ where: { key: "auth_secret" } })).toEqual(created);
      await expect(prisma.setting.create({ data: { key: "auth_secret", value: "other" } })).rejects.toMatchObject({
        code: "P2002",
      });
    });

    it("round-trips Model with Decimal prices, String[] modalities and defaults", async () => {
      const { prisma } = database;
      const created = await prisma.model.create({
        data: {
          id: "vendor/model-a",
          name: "Model A",
          contextLength: 131072,
          promptPrice: new Prisma.Decimal("0.000000123456789012"),
          completionPrice: "123456789012.123456789012345678",
          inputModalities: ["text", "image"],
        },
      });
      expect(created).toMatchObject({ isTee: false, enabled: true });
      expect(created.syncedAt).toBeInstanceOf(Date);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(created.updatedAt).toBeInstanceOf(Date);
      await prisma.model.create({
        data: {
          id: "vendor/model-b",
          name: "Model B",
          promptPrice: 0,
          completionPrice: 0,
          inputModalities: [],
          isTee: true,
          enabled: false,
          syncedAt: new Date("2025-01-01T00:00:00.000Z"),
        },
      });
      const a = await prisma.model.findUniqueOrThrow({ where: { id: "vendor/model-a" } });
      expect(a.promptPrice).toBeInstanceOf(Prisma.Decimal);
      expect(a.promptPrice.toFixed(18)).toBe("0.000000123456789012");
      expect(a.completionPrice.toFixed(18)).toBe("123456789012.123456789012345678");
      expect(a.contextLength).toBe(131072);
      expect(a.inputModalities).toEqual(["text", "image"]);
      const b = await prisma.model.findUniqueOrThrow({ where: { id: "vendor/model-b" } });
      expect(b).toMatchObject({ contextLength: null, inputModalities: [], isTee: true, enabled: false });
      expect(b.syncedAt.toISOString()).toBe("2025-01-01T00:00:00.000Z");
      expect(await prisma.model.findMany({ where: { inputModalities: { has: "image" } }, select: { id: true } })).toEqual([
        { id: "vendor/model-a" },
      ]);
    });

    it("round-trips Chat, Message (Json parts/metadata, role enum) and UsageRecord, with onDelete rules", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "grace@example.com", name: "Grace", passwordHash: "h" } });
      const chatId = randomUUID();
      const chat = await prisma.chat.create({ data: { id: chatId, userId: user.id, title: "Hello", modelId: "vendor/model-a" } });
      expect(chat).toMatchObject({ id: chatId, userId: user.id, title: "Hello", modelId: "vendor/model-a" });
      expect(chat.createdAt).toBeInstanceOf(Date);
      expect(chat.updatedAt).toBeInstanceOf(Date);

      const parts = [
        { type: "text", text: "Hi there, \"quoted\" and unicode: é 😀" },
        { type: "reasoning", text: "…", providerMetadata: { nested: { n: 1.5, ok: true, none: null } } },
      ];
      const metadata = { model: "vendor/model-a", usage: { promptTokens: 3, completionTokens: 5 } };
      await prisma.message.createMany({
        data: [
          { id: "m-system", chatId, role: "system", parts: [] },
          { id: "m-user", chatId, role: "user", parts, createdAt: new Date("2025-01-01T00:00:00.001Z") },
          { id: "m-assistant", chatId, role: "assistant", parts, metadata, createdAt: new Date("2025-01-01T00:00:00.002Z") },
        ],
      });
      const messages = await prisma.message.findMany({ where: { chatId }, orderBy: { createdAt: "asc" } });
      expect(messages.map((m) => [m.id, m.role])).toEqual([
        ["m-user", "user"],
        ["m-assistant", "assistant"],
        ["m-system", "system"],
      ]);
      expect(messages[0]).toMatchObject({ parts, metadata: null, chatId });
      expect(messages[1]).toMatchObject({ parts, metadata });
      expect(messages[1]?.createdAt.toISOString()).toBe("2025-01-01T00:00:00.002Z");
      expect(messages[2]?.parts).toEqual([]);

      const usage = await prisma.usageRecord.create({
        data: {
          userId: user.id,
          chatId,
          messageId: "m-assistant",
          modelId: "vendor/model-a",
          promptTokens: 3,
          completionTokens: 5,
          costUsd: "0.0012345678",
          ttftMs: 120,
          durationMs: 900,
          status: "ok",
          upstreamId: "gen-123",
        },
      });
      expect(usage.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(usage.usageEstimated).toBe(false);
      const failed = await prisma.usageRecord.create({
        data: {
          userId: user.id,
          modelId: "vendor/model-b",
          promptTokens: 0,
          completionTokens: 0,
          usageEstimated: true,
          costUsd: 0,
          durationMs: 10,
          status: "error",
          errorCode: "upstream:429",
        },
      });
      await prisma.usageRecord.create({
        data: { userId: user.id, chatId, modelId: "m", promptTokens: 1, completionTokens: 1, costUsd: 0, durationMs: 1, status: "aborted" },
      });
      const readUsage = await prisma.usageRecord.findUniqueOrThrow({ where: { id: usage.id }, include: { user: true } });
      expect(readUsage.costUsd.toFixed(10)).toBe("0.0012345678");
      expect(readUsage).toMatchObject({
        messageId: "m-assistant",
        promptTokens: 3,
        completionTokens: 5,
        ttftMs: 120,
        durationMs: 900,
        status: "ok",
        errorCode: null,
        upstreamId: "gen-123",
      });
      expect(readUsage.createdAt).toBeInstanceOf(Date);
      expect(readUsage.chatId).toBe(chatId);
      expect(readUsage.user.email).toBe("grace@example.com");
      expect(await prisma.usageRecord.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
        chatId: null,
        messageId: null,
        ttftMs: null,
        upstreamId: null,
        usageEstimated: true,
        status: "error",
        errorCode: "upstream:429",
      });
      const withRelations = await prisma.user.findUniqueOrThrow({
        where: { id: user.id },
        include: { chats: { include: { messages: true } }, usage: true },
      });
      expect(withRelations.chats[0]?.messages).toHaveLength(3);
      expect(withRelations.usage).toHaveLength(3);
      expect(withRelations.usage.filter((u) => u.chatId === chatId)).toHaveLength(2);

      // Deleting a chat deletes its messages and keeps its usage rows as they are (chatId is no foreign key).
      await prisma.chat.delete({ where: { id: chatId } });
      expect(await prisma.message.count({ where: { chatId } })).toBe(0);
      const kept = await prisma.usageRecord.findMany({ where: { userId: user.id } });
      expect(kept).toHaveLength(3);
      expect(kept.filter((u) => u.chatId === chatId)).toHaveLength(2);

      // Usage protects its user (onDelete: Restrict) …
      await expect(prisma.user.delete({ where: { id: user.id } })).rejects.toMatchObject({ code: "P2003" });
      // … and a user without usage takes their chats and messages along (onDelete: Cascade).
      const other = await prisma.user.create({ data: { email: "linus@example.com", name: "Linus", passwordHash: "h" } });
      const otherChat = await prisma.chat.create({ data: { id: randomUUID(), userId: other.id, title: "t", modelId: "m" } });
      await prisma.message.create({ data: { id: "m-other", chatId: otherChat.id, role: "user", parts: [{ type: "text", text: "x" }] } });
      await prisma.user.delete({ where: { id: other.id } });
      expect(await prisma.chat.count({ where: { id: otherChat.id } })).toBe(0);
      expect(await prisma.message.count({ where: { id: "m-other" } })).toBe(0);
    });

    it("creates the builtin Everyone group, allowing every model, in the migration", async () => {
      const everyone = await database.prisma.group.findUniqueOrThrow({ where: { id: EVERYONE_GROUP_ID } });
      expect(everyone).toMatchObject({ name: "Everyone", builtin: true, allModels: true, teeOnly: false });
      expect(everyone.createdAt).toBeInstanceOf(Date);
    });

    it("round-trips the access columns of User and Model: SSO-only, pending, deleted, session version, display name", async () => {
      const { prisma } = database;
      const sso = await prisma.user.create({ data: { email: "sso@example.com", name: "Sso" } });
      expect(sso).toMatchObject({ passwordHash: null, pendingApproval: false, deletedAt: null, sessionVersion: 0 });
      const deletedAt = new Date("2026-01-02T03:04:05.678Z");
      await prisma.user.update({
        where: { id: sso.id },
        data: { pendingApproval: true, deletedAt, sessionVersion: { increment: 2 } },
      });
      expect(await prisma.user.findUniqueOrThrow({ where: { id: sso.id } })).toMatchObject({
        pendingApproval: true,
        deletedAt,
        sessionVersion: 2,
      });
      const model = await prisma.model.create({
        data: { id: "vendor/model-named", name: "Raw", promptPrice: 0, completionPrice: 0, inputModalities: [] },
      });
      expect(model.displayName).toBeNull();
      await prisma.model.update({ where: { id: model.id }, data: { displayName: "Friendly name" } });
      expect((await prisma.model.findUniqueOrThrow({ where: { id: model.id } })).displayName).toBe("Friendly name");
    });

    it("round-trips Group, GroupMember and GroupModel, with unique names and cascades", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "grouped@example.com", name: "G", passwordHash: "h" } });
      const model = await prisma.model.create({
        data: { id: "vendor/model-grouped", name: "G", promptPrice: 0, completionPrice: 0, inputModalities: [] },
      });
      const group = await prisma.group.create({
        data: {
          name: "Research",
          allModels: false,
          teeOnly: true,
          members: { create: [{ userId: user.id }] },
          models: { create: [{ modelId: model.id }] },
        },
        include: { members: true, models: true },
      });
      expect(group).toMatchObject({ builtin: false, allModels: false, teeOnly: true });
      expect(group.members).toEqual([{ groupId: group.id, userId: user.id, createdAt: expect.any(Date) }]);
      expect(group.models).toEqual([{ groupId: group.id, modelId: model.id }]);
      expect(group.updatedAt).toBeInstanceOf(Date);
      await expect(prisma.group.create({ data: { name: "Research" } })).rejects.toMatchObject({ code: "P2002" });
      await expect(prisma.groupMember.create({ data: { groupId: group.id, userId: user.id } })).rejects.toMatchObject({
        code: "P2002",
      });
      // Removing a model or a user removes their rows in the group; removing the group removes the rest.
      await prisma.model.delete({ where: { id: model.id } });
      expect(await prisma.groupModel.count({ where: { groupId: group.id } })).toBe(0);
      await prisma.group.delete({ where: { id: group.id } });
      expect(await prisma.groupMember.count({ where: { userId: user.id } })).toBe(0);
      expect(await prisma.user.count({ where: { id: user.id } })).toBe(1);
    });

    it("round-trips Invite and PasswordReset, with unique token hashes", async () => {
      const { prisma } = database;
      const admin = await prisma.user.create({ data: { email: "inviter@example.com", name: "I", passwordHash: "h" } });
      const expiresAt = new Date("2030-01-01T00:00:00.000Z");
      const invite = await prisma.invite.create({
        data: { tokenHash: "hash-1", expiresAt, createdById: admin.id, groupIds: [EVERYONE_GROUP_ID] },
      });
      expect(invite).toMatchObject({ role: "MEMBER", email: null, usedAt: null, usedById: null, revokedAt: null });
      const usedAt = new Date("2029-05-06T07:08:09.010Z");
      await prisma.invite.update({
        where: { id: invite.id },
        data: { role: "ADMIN", email: "new@example.com", usedAt, usedById: admin.id, revokedAt: usedAt },
      });
      expect(await prisma.invite.findUniqueOrThrow({ where: { tokenHash: "hash-1" } })).toEqual({
        ...invite,
        role: "ADMIN",
        email: "new@example.com",
        usedAt,
        usedById: admin.id,
        revokedAt: usedAt,
      });
      await expect(prisma.invite.create({ data: { tokenHash: "hash-1", expiresAt } })).rejects.toMatchObject({
        code: "P2002",
      });

      const reset = await prisma.passwordReset.create({
        data: { tokenHash: "reset-1", userId: admin.id, expiresAt, createdById: admin.id },
      });
      expect(reset.usedAt).toBeNull();
      await prisma.passwordReset.update({ where: { id: reset.id }, data: { usedAt } });
      expect(await prisma.passwordReset.findUniqueOrThrow({ where: { tokenHash: "reset-1" } })).toEqual({ ...reset, usedAt });
      await expect(
        prisma.passwordReset.create({ data: { tokenHash: "reset-1", userId: admin.id, expiresAt } }),
      ).rejects.toMatchObject({ code: "P2002" });
      await prisma.user.delete({ where: { id: admin.id } });
      expect(await prisma.passwordReset.count({ where: { id: reset.id } })).toBe(0);
    });

    it("round-trips RateLimit counters", async () => {
      const { prisma } = database;
      const expiresAt = new Date("2030-01-01T00:01:00.000Z");
      await prisma.rateLimit.create({ data: { key: "signin:1.2.3.4", points: 1, expiresAt } });
      await prisma.rateLimit.update({ where: { key: "signin:1.2.3.4" }, data: { points: { increment: 1 } } });
      expect(await prisma.rateLimit.findUniqueOrThrow({ where: { key: "signin:1.2.3.4" } })).toEqual({
        key: "signin:1.2.3.4",
        points: 2,
        expiresAt,
      });
    });

    it("keeps AuditLog append-only: the database refuses UPDATE, DELETE and TRUNCATE", async () => {
      const { prisma } = database;
      const row = await prisma.auditLog.create({
        data: {
          actorId: randomUUID(),
          actorEmail: "ada@example.com",
          action: "group.create",
          targetType: "group",
          targetId: "g1",
          before: Prisma.DbNull,
          after: { name: "Research", modelIds: null },
          ip: "203.0.113.7",
        },
      });
      expect(row.createdAt).toBeInstanceOf(Date);
      expect(await prisma.auditLog.findUniqueOrThrow({ where: { id: row.id } })).toEqual({ ...row, before: null });
      await expect(prisma.auditLog.update({ where: { id: row.id }, data: { action: "nothing happened" } })).rejects.toThrow(
        /append-only/,
      );
      await expect(prisma.auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
      await expect(prisma.$executeRawUnsafe(`DELETE FROM "AuditLog"`)).rejects.toThrow(/append-only/);
      await expect(prisma.$executeRawUnsafe(`TRUNCATE "AuditLog"`)).rejects.toThrow(/append-only/);
      expect(await prisma.auditLog.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ action: "group.create" });
    });

    it("round-trips Budget and BudgetSpend (Decimal amounts, enums, cascade) and the ledger's reservation columns", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "budget@example.com", name: "B", rpm: 5, tpm: null } });
      expect(user).toMatchObject({ rpm: 5, tpm: null, passwordHash: null });
      const group = await prisma.group.create({ data: { name: "Budgeted", rpm: null, tpm: 1000 } });
      expect(group).toMatchObject({ rpm: null, tpm: 1000 });
      const budget = await prisma.budget.create({
        data: { scope: "group", targetId: group.id, amountUsd: "12.5000000001", period: "week" },
      });
      expect(budget).toMatchObject({ scope: "group", targetId: group.id, period: "week", warnPercent: 80 });
      expect(budget.amountUsd.toFixed(10)).toBe("12.5000000001");
      const periodStart = new Date("2026-11-23T00:00:00.000Z");
      await prisma.budgetSpend.create({ data: { budgetId: budget.id, periodStart, spentUsd: "0.0000000123" } });
      await expect(
        prisma.budgetSpend.create({ data: { budgetId: budget.id, periodStart, spentUsd: 0 } }),
      ).rejects.toMatchObject({ code: "P2002" });
      const spend = await prisma.budgetSpend.findUniqueOrThrow({ where: { budgetId_periodStart: { budgetId: budget.id, periodStart } } });
      expect(spend.spentUsd.toFixed(10)).toBe("0.0000000123");

      const row = await prisma.usageRecord.create({
        data: {
          userId: user.id,
          groupIds: [group.id],
          modelId: "vendor/model-a",
          promptTokens: 0,
          completionTokens: 0,
          cachedTokens: 7,
          reasoningTokens: 11,
          promptPrice: "0.000003",
          completionPrice: "0.000015",
          reservedUsd: "0.0614",
          costUsd: 0,
          durationMs: 0,
          status: "pending",
        },
      });
      expect(row).toMatchObject({ groupIds: [group.id], cachedTokens: 7, reasoningTokens: 11, status: "pending", settledAt: null });
      expect(row.promptPrice.toString()).toBe("0.000003");
      expect(row.reservedUsd.toFixed(4)).toBe("0.0614");
      const settledAt = new Date("2026-11-28T10:00:00.000Z");
      const settled = await prisma.usageRecord.update({ where: { id: row.id }, data: { status: "interrupted", settledAt } });
      expect(settled).toMatchObject({ status: "interrupted", settledAt });

      // Deleting a budget takes its spend rows along.
      await prisma.budget.delete({ where: { id: budget.id } });
      expect(await prisma.budgetSpend.count({ where: { budgetId: budget.id } })).toBe(0);
    });

    it("round-trips the daily usage rollup, keyed by day, user, model, status and group set", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: `rollup-${randomUUID()}@example.com`, name: "R" } });
      const day = new Date("2026-11-27T00:00:00.000Z");
      const key = { day, userId: user.id, modelId: "vendor/model-a", status: "ok" as const, groupKey: EVERYONE_GROUP_ID };
      const daily = await prisma.usageDaily.create({
        data: { ...key, groupIds: [EVERYONE_GROUP_ID], requests: 3, promptTokens: 5_000_000_000n, completionTokens: 7n, costUsd: "12345678901234.0000000001" },
      });
      expect(daily).toMatchObject({ ...key, groupIds: [EVERYONE_GROUP_ID], requests: 3, promptTokens: 5_000_000_000n });
      expect(daily.costUsd.toFixed(10)).toBe("12345678901234.0000000001");
      await expect(
        prisma.usageDaily.create({ data: { ...key, groupIds: [], requests: 1, promptTokens: 0n, completionTokens: 0n, costUsd: 0 } }),
      ).rejects.toMatchObject({ code: "P2002" });
      const ttft = await prisma.usageTtftDaily.create({ data: { day, status: "ok", ttftMs: 412, requests: 9 } });
      expect(ttft).toEqual({ day, status: "ok", ttftMs: 412, requests: 9 });
      const state = await prisma.usageRollup.create({ data: { timeZone: "Europe/Berlin" } });
      expect(state).toMatchObject({ id: 1, timeZone: "Europe/Berlin", updatedAt: expect.any(Date) });
      await prisma.usageDaily.deleteMany({ where: { userId: user.id } });
    });

    it("round-trips a chat's pin and its share links (unique tokens, cascade), and searches text parts through the GIN indexes", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "sharer@example.com", name: "S", passwordHash: "h" } });
      const chat = await prisma.chat.create({ data: { id: randomUUID(), userId: user.id, title: "Pinned notes", modelId: "m" } });
      expect(chat.pinnedAt).toBeNull();
      const pinnedAt = new Date("2030-02-03T04:05:06.007Z");
      expect((await prisma.chat.update({ where: { id: chat.id }, data: { pinnedAt } })).pinnedAt).toEqual(pinnedAt);
      expect(chat.settings).toBeNull();
      const settings = { system: "Be brief.", temperature: 0.25 };
      expect((await prisma.chat.update({ where: { id: chat.id }, data: { settings } })).settings).toEqual(settings);

      const share = await prisma.chatShare.create({ data: { chatId: chat.id, token: "share-token-1" } });
      expect(share).toMatchObject({ chatId: chat.id, token: "share-token-1", revokedAt: null, createdAt: expect.any(Date) });
      await prisma.chatShare.update({ where: { id: share.id }, data: { revokedAt: pinnedAt } });
      expect(await prisma.chatShare.findUniqueOrThrow({ where: { token: "share-token-1" } })).toEqual({ ...share, revokedAt: pinnedAt });
      await expect(prisma.chatShare.create({ data: { chatId: chat.id, token: "share-token-1" } })).rejects.toMatchObject({ code: "P2002" });

      await prisma.message.create({
        data: { id: "m-fts", chatId: chat.id, role: "user", parts: [{ type: "step-start" }, { type: "text", text: "Harmonicas hum" }] },
      });
      const indexes = await prisma.$queryRaw<{ indexname: string }[]>`
        SELECT indexname FROM pg_indexes WHERE indexname IN ('Chat_title_search_idx', 'Message_text_search_idx') ORDER BY indexname`;
      expect(indexes.map((i) => i.indexname)).toEqual(["Chat_title_search_idx", "Message_text_search_idx"]);
      const hits = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Message"
        WHERE to_tsvector('simple'::regconfig, jsonb_path_query_array("parts", '$[*] ? (@.type == "text").text'))
              @@ websearch_to_tsquery('simple', 'harmonicas')`;
      expect(hits.map((h) => h.id)).toEqual(["m-fts"]);
      // "text", the parts' type, is not indexed as a word.
      const typeWord = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM "Message"
        WHERE to_tsvector('simple'::regconfig, jsonb_path_query_array("parts", '$[*] ? (@.type == "text").text'))
              @@ websearch_to_tsquery('simple', 'step')`;
      expect(typeWord).toEqual([]);

      await prisma.chat.delete({ where: { id: chat.id } });
      expect(await prisma.chatShare.count({ where: { chatId: chat.id } })).toBe(0);
      await prisma.user.delete({ where: { id: user.id } });
    });

    it("round-trips Attachment bytes exactly, with a nullable chat that takes its attachments along", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "attacher@example.com", name: "A", passwordHash: "h" } });
      const chat = await prisma.chat.create({ data: { id: randomUUID(), userId: user.id, title: "With a picture", modelId: "m" } });
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0x0d, 0x0a]);
      const loose = await prisma.attachment.create({
        data: { userId: user.id, mediaType: "image/png", filename: "dot.png", size: bytes.length, bytes },
      });
      expect(loose).toMatchObject({ chatId: null, mediaType: "image/png", filename: "dot.png", size: 8, createdAt: expect.any(Date) });
      expect(loose.id).toMatch(/^[0-9a-f-]{36}$/);
      expect([...(await prisma.attachment.findUniqueOrThrow({ where: { id: loose.id } })).bytes!]).toEqual([...bytes]);
      const onDisk = await prisma.attachment.create({
        data: { userId: user.id, chatId: chat.id, mediaType: "text/plain", filename: "notes.txt", size: 3 },
      });
      expect(onDisk.bytes).toBeNull();
      await prisma.attachment.update({ where: { id: loose.id }, data: { chatId: chat.id } });
      await prisma.chat.delete({ where: { id: chat.id } });
      expect(await prisma.attachment.count({ where: { userId: user.id } })).toBe(0);
      await prisma.user.delete({ where: { id: user.id } });
    });

    it("round-trips TeeAttestation and MessageVerification: the verdict goes with its message, the report outlives it", async () => {
      const { prisma } = database;
      const user = await prisma.user.create({ data: { email: "verifier@example.com", name: "V", passwordHash: "h" } });
      const chat = await prisma.chat.create({ data: { id: randomUUID(), userId: user.id, title: "Enclave", modelId: "phala/m" } });
      await prisma.message.create({ data: { id: "m-tee", chatId: chat.id, role: "assistant", parts: [] } });
      const report = { signing_address: "0xabc", nested: { quote: "04" } };
      const attestation = await prisma.teeAttestation.create({
        data: { modelId: "phala/m", nonce: "ab".repeat(32), ok: true, signingAddresses: ["0xabc"], checks: [{ id: "x", ok: null }], report, expiresAt: new Date(Date.now() + 60_000) },
      });
      expect(attestation).toMatchObject({ ok: true, signingAddresses: ["0xabc"], report, fetchedAt: expect.any(Date) });
      const usage = await prisma.usageRecord.create({
        data: { userId: user.id, modelId: "phala/m", promptTokens: 1, completionTokens: 1, costUsd: 0, durationMs: 1, status: "ok", verification: "failed" },
      });
      expect(usage.verification).toBe("failed");
      const verification = await prisma.messageVerification.create({
        data: {
          messageId: "m-tee",
          chatId: chat.id,
          usageId: usage.id,
          modelId: "phala/m",
          completionId: "chatcmpl-1",
          status: "verified",
          required: true,
          signingAddress: "0xabc",
          requestSha256: "a".repeat(64),
          responseSha256: "b".repeat(64),
          checks: [{ id: "signer_attested", ok: true }],
          evidence: { format: "pillbox-tee-evidence/1" },
          attestationId: attestation.id,
        },
      });
      expect(verification).toMatchObject({ status: "verified", required: true, createdAt: expect.any(Date), updatedAt: expect.any(Date) });
      await prisma.chat.delete({ where: { id: chat.id } });
      expect(await prisma.messageVerification.count({ where: { messageId: "m-tee" } })).toBe(0);
      expect(await prisma.teeAttestation.count({ where: { id: attestation.id } })).toBe(1);
      await prisma.usageRecord.delete({ where: { id: usage.id } });
      await prisma.user.delete({ where: { id: user.id } });
    });
  });
}

const COVERED_COLUMNS: Record<string, string[]> = {
  ApiKey: ["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "secretHash", "userId"],
  Attachment: ["bytes", "chatId", "createdAt", "filename", "id", "mediaType", "size", "userId"],
  AuditLog: ["action", "actorEmail", "actorId", "after", "before", "createdAt", "id", "ip", "targetId", "targetType"],
  Chat: ["createdAt", "id", "modelId", "pinnedAt", "settings", "title", "updatedAt", "userId"],
  ChatShare: ["chatId", "createdAt", "id", "revokedAt", "token"],
  Budget: ["amountUsd", "createdAt", "id", "period", "scope", "targetId", "updatedAt", "warnPercent"],
  BudgetSpend: ["budgetId", "partialUsageId", "periodStart", "spentUsd"],
  Group: ["allModels", "apiAccess", "builtin", "createdAt", "id", "name", "requireVerified", "rpm", "teeOnly", "tpm", "updatedAt"],
  GroupMember: ["createdAt", "groupId", "userId"],
  GroupModel: ["groupId", "modelId"],
  Invite: [
    "createdAt",
    "createdById",
    "email",
    "expiresAt",
    "groupIds",
    "id",
    "revokedAt",
    "role",
    "tokenHash",
    "usedAt",
    "usedById",
  ],
  PasswordReset: ["createdAt", "createdById", "expiresAt", "id", "tokenHash", "usedAt", "userId"],
  RateLimit: ["expiresAt", "key", "points"],
  Message: ["chatId", "createdAt", "id", "metadata", "parts", "role"],
  MessageVerification: [
    "attestationId",
    "chatId",
    "checks",
    "completionId",
    "createdAt",
    "evidence",
    "messageId",
    "modelId",
    "requestSha256",
    "required",
    "responseSha256",
    "signingAddress",
    "status",
    "updatedAt",
    "usageId",
  ],
  TeeAttestation: ["checks", "expiresAt", "fetchedAt", "id", "modelId", "nonce", "ok", "report", "signingAddresses"],
  Model: [
    "completionPrice",
    "contextLength",
    "createdAt",
    "displayName",
    "enabled",
    "id",
    "inputModalities",
    "isTee",
    "name",
    "promptPrice",
    "syncedAt",
    "updatedAt",
  ],
  UsageRecord: [
    "apiKeyId",
    "cachedTokens",
    "chatId",
    "completionPrice",
    "completionTokens",
    "costUsd",
    "createdAt",
    "durationMs",
    "errorCode",
    "groupIds",
    "id",
    "messageId",
    "modelId",
    "promptPrice",
    "promptTokens",
    "reasoningTokens",
    "reservedUsd",
    "rolledUp",
    "settledAt",
    "status",
    "ttftMs",
    "upstreamId",
    "usageEstimated",
    "userId",
    "verification",
  ],
  Setting: ["createdAt", "key", "value"],
  UsageDaily: ["completionTokens", "costUsd", "day", "groupIds", "groupKey", "modelId", "promptTokens", "requests", "status", "userId"],
  UsageRollup: ["id", "timeZone", "updatedAt"],
  UsageTtftDaily: ["day", "requests", "status", "ttftMs"],
  User: [
    "createdAt",
    "deletedAt",
    "disabledAt",
    "email",
    "id",
    "name",
    "passwordHash",
    "pendingApproval",
    "role",
    "rpm",
    "sessionVersion",
    "tpm",
    "updatedAt",
  ],
};

backendSuite("in-memory PGlite", async () => ({ url: "memory://", cleanup: async () => {} }));

describe.skipIf(pgSkipReason !== null)("PostgreSQL", () => {
  backendSuite("fresh database", async () => {
    const created = await createTestDatabase("pillbox_schema");
    return { url: created.url, cleanup: created.drop };
  });

  it("lets only one of two processes starting at once apply the migrations", async () => {
    const created = await createTestDatabase("pillbox_schema");
    const a = openDbConnection(resolveDbTarget(created.url, undefined));
    const b = openDbConnection(resolveDbTarget(created.url, undefined));
    try {
      const [ra, rb] = await Promise.all([applyMigrations(a), applyMigrations(b)]);
      expect([...ra.applied, ...rb.applied]).toEqual(migrationNames);
      expect([ra.applied.length, rb.applied.length]).toContain(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await created.drop();
    }
  });
});
