// The migrations build the schema on both backends, are recorded exactly as Prisma Migrate records them,
// and every model and column round-trips through the Prisma Client.
import { randomUUID } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDbConnection, resolveDbTarget } from "@/lib/db/adapter";
import { createDatabase, type Database } from "@/lib/db/client";
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
  });
}

const COVERED_COLUMNS: Record<string, string[]> = {
  Chat: ["createdAt", "id", "modelId", "title", "updatedAt", "userId"],
  Message: ["chatId", "createdAt", "id", "metadata", "parts", "role"],
  Model: [
    "completionPrice",
    "contextLength",
    "createdAt",
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
    "chatId",
    "completionTokens",
    "costUsd",
    "createdAt",
    "durationMs",
    "errorCode",
    "id",
    "messageId",
    "modelId",
    "promptTokens",
    "status",
    "ttftMs",
    "upstreamId",
    "usageEstimated",
    "userId",
  ],
  Setting: ["createdAt", "key", "value"],
  User: ["createdAt", "disabledAt", "email", "id", "name", "passwordHash", "role", "updatedAt"],
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
