// Images and files in chat messages (issue 7 §2): images go upstream as image_url parts with data
// URLs, text files inline as text; wrong types, files too large and images for a model without
// image input are refused with nothing stored and nothing upstream; stored files are served to
// their owner and to readers of the chat's live share link only. The embedded run keeps the bytes
// under UPLOAD_DIR, the PostgreSQL run in the database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { setUpAdmin } from "../support/fixtures";
import { EXE_BYTES, dataUrl, oversizedPng, solidPng } from "../support/images";
import { json, signedIn } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";
import { readUiStream } from "../support/ui-stream";

const pgSkip = await postgresReachable();
const GPT5 = "openai/gpt-5";
const QWEN_VL = "phala/qwen2.5-vl-72b-instruct";
const TEXT_ONLY = "phala/deepseek-chat-v3-0324";
const PNG = solidPng(4, 3, [200, 30, 60]);

type Part = { type: "text"; text: string } | { type: "file"; mediaType: string; url: string; filename?: string };
interface UpstreamPart {
  type: string;
  text?: string;
  image_url?: { url: string };
}
interface UpstreamBody {
  model: string;
  messages: { role: string; content: string | UpstreamPart[] }[];
}
interface StoredMessage {
  id: string;
  role: string;
  parts: Part[];
}
interface ErrorBody {
  error: { code: string; message: string };
}

const message = (parts: Part[], modelId: string, id: string = crypto.randomUUID()) => ({
  id,
  modelId,
  message: { id: crypto.randomUUID(), role: "user", parts },
});
const imagePart = (bytes = PNG, mediaType = "image/png", filename = "dot.png"): Part => ({
  type: "file",
  mediaType,
  filename,
  url: dataUrl(mediaType, bytes),
});

function uploadForm(bytes: Buffer, filename: string, type: string): FormData {
  const form = new FormData();
  form.set("file", new File([new Uint8Array(bytes)], filename, { type }));
  return form;
}

/** The `name: [rows]` lines of AppServer.dumpDatabase(), by table. */
function tables(dump: string): Record<string, Record<string, unknown>[]> {
  return Object.fromEntries(
    // json_agg breaks lines between rows: a table starts a line with its name.
    dump.split(/\n(?=\w+: \[)/).map((line) => {
      const at = line.indexOf(": ");
      return [line.slice(0, at), JSON.parse(line.slice(at + 2)) as Record<string, unknown>[]];
    }),
  );
}

describe.each<DatabaseKind>(["embedded", "postgres"])("attachments on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  // The embedded run stores bytes on disk; the PostgreSQL run in the database.
  const uploadDir = database === "embedded" ? fs.mkdtempSync(path.join(os.tmpdir(), "pillbox-uploads-")) : null;
  let app: AppServer;
  let admin: Session;
  let member: Session;
  /** Only ever refused: nothing of theirs may be stored. */
  let refused: Session;
  let refusedId: string;

  const upstreamCalls = () =>
    app.fake!.requests.filter((r) => r.path === "/v1/chat/completions").map((r) => r.body as UpstreamBody);
  const lastUpstream = () => upstreamCalls().at(-1)!;
  const userContents = (body: UpstreamBody) => body.messages.filter((m) => m.role === "user").map((m) => m.content);

  async function send(session: Session, body: unknown) {
    const response = await session.postJson("/api/chat", body);
    expect(response.status, await response.clone().text()).toBe(200);
    const stream = await readUiStream(response);
    expect(stream.errors).toEqual([]);
    return stream;
  }

  async function storedMessages(session: Session, chatId: string) {
    return (await json<{ messages: StoredMessage[] }>(await session.fetch(`/api/chats/${chatId}`))).messages;
  }

  async function expectRefused(session: Session, body: unknown, pattern: RegExp) {
    const before = upstreamCalls().length;
    const response = await session.postJson("/api/chat", body);
    const text = await response.text();
    expect(response.status, text).toBe(400);
    const { error } = JSON.parse(text) as ErrorBody;
    expect(error.code).toBe("bad_request:attachment");
    expect(error.message).toMatch(pattern);
    expect(upstreamCalls()).toHaveLength(before);
    expect((await session.fetch(`/api/chats/${(body as { id: string }).id}`)).status).toBe(404);
  }

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database, env: uploadDir ? { UPLOAD_DIR: uploadDir } : {} });
    admin = await setUpAdmin(app);
    const create = async (name: string) => {
      const account = { email: `${name}@example.com`, password: `${name}-password-1` };
      const created = await json<{ user: { id: string } }>(
        await admin.postJson("/api/admin/users", { ...account, name, role: "MEMBER" }),
      );
      return { id: created.user.id, session: await signedIn(app, { ...account, id: created.user.id }) };
    };
    member = (await create("mia")).session;
    const nobody = await create("rui");
    refused = nobody.session;
    refusedId = nobody.id;
  });

  afterAll(async () => {
    if (skip) return;
    await app.stop();
    if (uploadDir) fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  it.skipIf(skip)("sends an image to a vision model as an image_url part with a data URL, stores it and shows it to its owner", async () => {
    const body = message([imagePart(), { type: "text", text: "What colour is this?" }], GPT5);
    await send(admin, body);
    const sent = lastUpstream();
    expect(sent.model).toBe(GPT5);
    expect(sent.messages.at(-1)).toEqual({
      role: "user",
      content: [
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } },
        { type: "text", text: "What colour is this?" },
      ],
    });

    // Stored as a reference to the attachment, never as the data URL.
    const [stored] = await storedMessages(admin, body.id);
    const file = stored!.parts[0] as Extract<Part, { type: "file" }>;
    expect(file).toEqual({ type: "file", mediaType: "image/png", filename: "dot.png", url: expect.stringMatching(/^\/api\/uploads\/[0-9a-f-]{36}$/) });
    const served = await admin.fetch(file.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("cache-control")).toMatch(/private/);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    if (uploadDir) expect(fs.readFileSync(path.join(uploadDir, file.url.split("/").at(-1)!)).equals(PNG)).toBe(true);

    // Someone else, or nobody: the same 404 as for a file that does not exist, or 401.
    expect((await member.fetch(file.url)).status).toBe(404);
    expect((await member.fetch(`${file.url}?share=${"A".repeat(43)}`)).status).toBe(404);
    expect((await new Session(app.url).fetch(file.url)).status).toBe(401);
    expect((await admin.fetch("/api/uploads/00000000-0000-4000-8000-00000000dead")).status).toBe(404);
    expect((await admin.fetch("/api/uploads/not-an-id")).status).toBe(404);

    // The next turn sends the image again with the history; a text-only model gets a note instead.
    await send(admin, message([{ type: "text", text: "And now?" }], QWEN_VL, body.id));
    expect(userContents(lastUpstream())[0]).toContainEqual({ type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } });
    await send(admin, message([{ type: "text", text: "Describe it in words." }], TEXT_ONLY, body.id));
    const textOnly = JSON.stringify(lastUpstream());
    expect(textOnly).not.toContain("image_url");
    expect(userContents(lastUpstream())[0]).toContainEqual({ type: "text", text: "[Image dot.png not shown: this model does not take images.]" });
  });

  it.skipIf(skip)("refuses an image for a text-only model, a 6 MB image and an .exe, storing nothing and sending nothing upstream", async () => {
    await expectRefused(refused, message([imagePart(), { type: "text", text: "What is it?" }], TEXT_ONLY), /does not take images/);
    await expectRefused(
      refused,
      message([imagePart(oversizedPng(6 * 1024 * 1024), "image/png", "big.png"), { type: "text", text: "Too big?" }], GPT5),
      /big\.png.* is 6 MB; images may be at most 5 MB/,
    );
    const exe = { type: "file" as const, mediaType: "application/x-msdownload", filename: "setup.exe", url: dataUrl("application/x-msdownload", EXE_BYTES) };
    await expectRefused(refused, message([exe, { type: "text", text: "Run this" }], GPT5), /setup\.exe.* cannot be attached/);
    // A label does not make a file what it claims: the bytes decide.
    await expectRefused(refused, message([imagePart(EXE_BYTES, "image/png", "setup.png")], GPT5), /not a PNG, JPEG, WebP or GIF image/);
    await expectRefused(refused, message([{ ...exe, mediaType: "text/plain" }], GPT5), /cannot be attached/);
    await expectRefused(refused, message([{ ...exe, mediaType: "text/plain", filename: "notes.txt" }], GPT5), /not a text file/);
    await expectRefused(refused, message([{ type: "file", mediaType: "image/png", url: "https://example.com/a.png" }], GPT5), /data: URL/);
    // Uploads are refused the same way.
    for (const [bytes, name, type] of [
      [EXE_BYTES, "setup.exe", "application/x-msdownload"],
      [oversizedPng(6 * 1024 * 1024), "big.png", "image/png"],
      [EXE_BYTES, "fake.png", "image/png"],
    ] as const) {
      const response = await refused.fetch("/api/uploads", { method: "POST", body: uploadForm(bytes, name, type) });
      expect(response.status, name).toBe(400);
      expect((await json<ErrorBody>(response)).error.code).toBe("bad_request:attachment");
    }
    const notMultipart = await refused.postJson("/api/uploads", { file: "x" });
    expect(notMultipart.status).toBe(415);
    expect((await refused.fetch("/api/uploads", { method: "POST", body: new FormData() })).status).toBe(400);
    // Nothing of theirs is in the database (read at the end, when the server has stopped).
  });

  it.skipIf(skip)("inlines a text file as text for any model and stores it as a file", async () => {
    const notes = "# Shopping\n\n- apples\n- ```fenced``` pears\n";
    const body = message(
      [
        { type: "file", mediaType: "text/markdown", filename: "notes.md", url: `data:text/markdown;base64,${Buffer.from(notes).toString("base64")}` },
        { type: "file", mediaType: "", filename: "plain.txt", url: `data:,${encodeURIComponent("plain words")}` },
        { type: "text", text: "Summarise the files." },
      ],
      TEXT_ONLY,
    );
    await send(member, body);
    expect(lastUpstream().messages.at(-1)).toEqual({
      role: "user",
      content: [
        { type: "text", text: `notes.md:\n\`\`\`\`\n${notes}\`\`\`\`\n` },
        { type: "text", text: "plain.txt:\n```\nplain words\n```\n" },
        { type: "text", text: "Summarise the files." },
      ],
    });
    const [stored] = await storedMessages(member, body.id);
    expect(stored!.parts.map((p) => (p.type === "file" ? [p.mediaType, p.filename] : p.text))).toEqual([
      ["text/markdown", "notes.md"],
      ["text/plain", "plain.txt"],
      "Summarise the files.",
    ]);
    const served = await member.fetch((stored!.parts[0] as Extract<Part, { type: "file" }>).url);
    expect(served.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(served.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(await served.text()).toBe(notes);
    // A text file over the limit (512 KB by default) is refused.
    const big = "x".repeat(600 * 1024);
    await expectRefused(
      member,
      message([{ type: "file", mediaType: "text/plain", filename: "big.txt", url: dataUrl("text/plain", Buffer.from(big)) }], TEXT_ONLY),
      /big\.txt.* is 600 KB; text files may be at most 512 KB/,
    );
  });

  it.skipIf(skip)("takes a file uploaded first, by its URL, only from its uploader", async () => {
    const upload = await admin.fetch("/api/uploads", { method: "POST", body: uploadForm(PNG, "upload.png", "image/png") });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const receipt = await json<{ id: string; url: string; mediaType: string; filename: string; size: number }>(upload);
    expect(receipt).toEqual({ id: expect.any(String), url: `/api/uploads/${receipt.id}`, mediaType: "image/png", filename: "upload.png", size: PNG.length });
    expect((await admin.fetch(receipt.url)).status).toBe(200);
    expect((await member.fetch(receipt.url)).status).toBe(404);

    // Another member cannot attach it; a text-only model cannot take it.
    const file: Part = { type: "file", mediaType: "image/png", filename: "upload.png", url: receipt.url };
    const before = upstreamCalls().length;
    const stolen = await member.postJson("/api/chat", message([file, { type: "text", text: "Mine now" }], GPT5));
    expect(stolen.status).toBe(400);
    expect((await admin.postJson("/api/chat", message([file], TEXT_ONLY))).status).toBe(400);
    expect(upstreamCalls()).toHaveLength(before);

    const body = message([{ ...file, url: `${app.url}${receipt.url}` }, { type: "text", text: "Look" }], GPT5);
    await send(admin, body);
    expect(userContents(lastUpstream()).at(-1)).toContainEqual({ type: "image_url", image_url: { url: `data:image/png;base64,${PNG.toString("base64")}` } });
    const [stored] = await storedMessages(admin, body.id);
    expect(stored!.parts[0]).toEqual({ type: "file", mediaType: "image/png", filename: "upload.png", url: receipt.url });
    // Now in that chat, it cannot be attached in another one.
    expect((await admin.postJson("/api/chat", message([file, { type: "text", text: "Again" }], GPT5))).status).toBe(400);
  });

  it.skipIf(skip)("shows a shared chat's images to its readers through the link, and to nobody once it is revoked", async () => {
    const body = message([imagePart(PNG, "image/png", "shared.png"), { type: "text", text: "Shared picture" }], GPT5);
    await send(admin, body);
    const share = await json<{ share: { token: string } }>(await admin.fetch(`/api/chats/${body.id}/share`, { method: "POST" }));
    const { chat } = await json<{ chat: { messages: StoredMessage[] } }>(await member.fetch(`/api/shares/${share.share.token}`));
    const file = chat.messages[0]!.parts[0] as Extract<Part, { type: "file" }>;
    expect(file.url).toMatch(new RegExp(`^/api/uploads/[0-9a-f-]{36}\\?share=${share.share.token}$`));
    const seen = await member.fetch(file.url);
    expect(seen.status).toBe(200);
    expect(Buffer.from(await seen.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await member.fetch(file.url.split("?")[0]!)).status).toBe(404);
    expect((await new Session(app.url).fetch(file.url)).status).toBe(401);
    expect((await admin.fetch(`/api/chats/${body.id}/share`, { method: "DELETE" })).status).toBe(204);
    expect((await member.fetch(file.url)).status).toBe(404);
    expect((await admin.fetch(file.url)).status).toBe(200);
  });

  // Last: it stops the server to read the embedded database.
  it.skipIf(skip || uploadDir === null)("removes a deleted chat's files from UPLOAD_DIR, and a deleted account's with its chats", async () => {
    const onDisk = async (session: Session, chatId: string) => {
      const [stored] = await storedMessages(session, chatId);
      const id = (stored!.parts[0] as Extract<Part, { type: "file" }>).url.split("/").at(-1)!;
      expect(fs.existsSync(path.join(uploadDir!, id))).toBe(true);
      return path.join(uploadDir!, id);
    };
    const chat = message([imagePart(), { type: "text", text: "Soon gone" }], GPT5);
    await send(admin, chat);
    const file = await onDisk(admin, chat.id);
    expect((await admin.fetch(`/api/chats/${chat.id}`, { method: "DELETE" })).status).toBe(204);
    expect(fs.existsSync(file)).toBe(false);

    const account = { email: "uma@example.com", password: "uma-password-1", name: "uma", role: "MEMBER" };
    const created = await json<{ user: { id: string } }>(await admin.postJson("/api/admin/users", account));
    const uma = await signedIn(app, { ...account, id: created.user.id });
    const umaChat = message([imagePart(), { type: "text", text: "Mine" }], GPT5);
    await send(uma, umaChat);
    const umaFile = await onDisk(uma, umaChat.id);
    expect((await admin.fetch(`/api/admin/users/${created.user.id}?chats=delete`, { method: "DELETE" })).status).toBeLessThan(300);
    expect(fs.existsSync(umaFile)).toBe(false);
  });

  it.skipIf(skip)("stored nothing for the refused requests, and kept bytes where UPLOAD_DIR says", async () => {
    await app.stopServer();
    const rows = tables(await app.dumpDatabase());
    expect(rows.Attachment!.filter((row) => row.userId === refusedId)).toEqual([]);
    expect(rows.Chat!.filter((row) => row.userId === refusedId)).toEqual([]);
    expect(rows.UsageRecord!.filter((row) => row.userId === refusedId)).toEqual([]);
    expect(rows.Attachment!.length).toBeGreaterThan(0);
    for (const row of rows.Attachment!) expect(row.bytes === null).toBe(uploadDir !== null);
    // Messages hold references, never data URLs.
    expect(JSON.stringify(rows.Message)).not.toContain("data:");
  });
});
