// History: full-text search, the sidebar's pages and pins, read-only share links and export,
// through the public HTTP API of a production server, on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAppServer, type AppServer, type DatabaseKind } from "../support/app-server";
import { chatBody, setUpAdmin } from "../support/fixtures";
import { expectStatus, json, patchJson, signedIn, type Account } from "../support/personas";
import { postgresReachable } from "../support/postgres";
import { Session } from "../support/session";

const pgSkip = await postgresReachable();
if (pgSkip) console.warn(`[tests] skipping the PostgreSQL half: ${pgSkip}`);

interface Segment {
  text: string;
  hit: boolean;
}
interface SearchResult {
  chatId: string;
  title: string;
  titleHighlight: Segment[];
  messageId: string | null;
  snippet: Segment[] | null;
}
interface ListedChat {
  id: string;
  title: string;
  updatedAt: string;
  pinnedAt: string | null;
}

const hits = (segments: Segment[] | null) => (segments ?? []).filter((s) => s.hit).map((s) => s.text.toLowerCase());
const plain = (segments: Segment[] | null) => (segments ?? []).map((s) => s.text).join("");

describe.each<DatabaseKind>(["embedded", "postgres"])("chat history on the %s database", (database) => {
  const skip = database === "postgres" && pgSkip !== null;
  let app: AppServer;
  let admin: Session;
  let bob: Session;
  let carol: Session;
  /** Bob's chat: first message "Plan the team offsite", then a message with "zanzibar" in its body only. */
  let offsiteId: string;

  async function account(key: string): Promise<Account> {
    const body = { email: `${key}@example.com`, password: `${key}-password-1`, name: key[0]!.toUpperCase() + key.slice(1), role: "MEMBER" };
    const created = await json<{ user: { id: string } }>(await expectStatus(await admin.postJson("/api/admin/users", body), 201, key));
    return { id: created.user.id, email: body.email, password: body.password };
  }

  /** Sends a message (a new chat unless `chatId`) and reads the whole reply. */
  async function say(session: Session, text: string, chatId?: string): Promise<string> {
    const body = chatBody(text, undefined, chatId);
    await (await expectStatus(await session.postJson("/api/chat", body), 200, `chat "${text}"`)).text();
    return body.id;
  }

  const search = async (session: Session, q: string) =>
    (await json<{ results: SearchResult[] }>(await expectStatus(await session.fetch(`/api/chats/search?${new URLSearchParams({ q })}`), 200, q)))
      .results;

  beforeAll(async () => {
    if (skip) return;
    app = await startAppServer({ database });
    admin = await setUpAdmin(app);
    bob = await signedIn(app, await account("bob"));
    carol = await signedIn(app, await account("carol"));
    offsiteId = await say(bob, "Plan the team offsite");
    await say(bob, "Bring the zanzibar harmonica, please", offsiteId);
  });

  afterAll(async () => {
    if (!skip) await app.stop();
  });

  it.skipIf(skip)("search finds a word that is only in a message body, marks it in the snippet, and only in the caller's chats", async () => {
    await say(carol, "My own zanzibar notes");
    const results = await search(bob, "zanzibar");
    expect(results.map((r) => r.chatId)).toEqual([offsiteId]);
    const [result] = results;
    expect(result!.title).toBe("Plan the team offsite");
    expect(hits(result!.titleHighlight)).toEqual([]);
    expect(hits(result!.snippet)).toContain("zanzibar");
    expect(plain(result!.snippet)).toContain("Bring the zanzibar harmonica");
    expect(result!.messageId).toEqual(expect.any(String));

    // Case-insensitive, the start of a word while typing, and a title word (highlighted in the title).
    expect((await search(bob, "ZANZIBAR")).map((r) => r.chatId)).toEqual([offsiteId]);
    expect((await search(bob, "harmon")).map((r) => r.chatId)).toEqual([offsiteId]);
    const byTitle = await search(bob, "offsite");
    expect(byTitle.map((r) => r.chatId)).toEqual([offsiteId]);
    expect(hits(byTitle[0]!.titleHighlight)).toEqual(["offsite"]);
    // Websearch syntax: a phrase, and a word left out.
    expect((await search(bob, '"zanzibar harmonica"')).map((r) => r.chatId)).toEqual([offsiteId]);
    expect(await search(bob, '"harmonica zanzibar"')).toEqual([]);
    expect(await search(bob, "zanzibar -harmonica")).toEqual([]);
    // The assistant's replies are searched too (the fake answers "Echo: …").
    expect((await search(bob, "echo")).map((r) => r.chatId)).toEqual([offsiteId]);

    // Carol finds only her own chat; nothing of Bob's reaches her.
    const hers = await carol.fetch(`/api/chats/search?q=zanzibar`);
    const text = await hers.text();
    expect(text).not.toContain("offsite");
    expect((JSON.parse(text) as { results: SearchResult[] }).results.map((r) => r.title)).toEqual(["My own zanzibar notes"]);
  });

  it.skipIf(skip)("search refuses bad input with 400 and anonymous callers with 401", async () => {
    for (const q of ["", "   ", "x".repeat(201)]) {
      const response = await bob.fetch(`/api/chats/search?${new URLSearchParams({ q })}`);
      expect(response.status).toBe(400);
      expect((await json<{ error: { code: string } }>(response)).error.code).toBe("bad_request:api");
    }
    expect((await bob.fetch("/api/chats/search?q=a&limit=500")).status).toBe(400);
    // Characters that mean something to tsquery are just text.
    expect((await bob.fetch(`/api/chats/search?${new URLSearchParams({ q: "a & | ! ( ) : * ' \\" })}`)).status).toBe(200);
    const anonymous = await new Session(app.url).fetch("/api/chats/search?q=zanzibar");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain("offsite");
  });

  it.skipIf(skip)("pages through the chats without skipping or repeating one, pinned first, and pins without moving a chat in time", async () => {
    const dave = await signedIn(app, await account("dave"));
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(await say(dave, `Chat number ${i}`));
    const all = await listAll(dave, 100);
    expect(all.map((c) => c.id)).toEqual([...made].reverse()); // newest first

    const paged = await listAll(dave, 3);
    expect(paged.map((c) => c.id)).toEqual(all.map((c) => c.id));

    // Pin the two oldest: they come first (latest pin first), and keep their updatedAt.
    const oldest = all.at(-1)!;
    const second = all.at(-2)!;
    for (const chat of [oldest, second]) {
      const pinned = await json<{ chat: ListedChat }>(await expectStatus(await patchJson(dave, `/api/chats/${chat.id}`, { pinned: true }), 200, "pin"));
      expect(pinned.chat.pinnedAt).toEqual(expect.any(String));
      expect(pinned.chat.updatedAt).toBe(chat.updatedAt);
    }
    const withPins = await listAll(dave, 2);
    expect(withPins.map((c) => c.id)).toEqual([second.id, oldest.id, ...all.slice(0, -2).map((c) => c.id)]);
    expect(withPins.slice(0, 2).every((c) => c.pinnedAt !== null)).toBe(true);
    expect(new Set(withPins.map((c) => c.id)).size).toBe(7);

    // Renaming keeps the place too; unpinning puts the chat back where its last message puts it.
    await expectStatus(await patchJson(dave, `/api/chats/${oldest.id}`, { title: "Renamed oldest", pinned: false }), 200, "unpin");
    const after = await listAll(dave, 4);
    expect(after.map((c) => c.id)).toEqual([second.id, ...all.slice(0, -2).map((c) => c.id), oldest.id]);
    expect(after.at(-1)).toMatchObject({ title: "Renamed oldest", pinnedAt: null, updatedAt: oldest.updatedAt });

    // Backward compatible: no parameters is the first 100, with nextCursor null when that is all.
    const plainList = await json<{ chats: ListedChat[]; nextCursor: string | null }>(await dave.fetch("/api/chats"));
    expect(plainList.chats).toHaveLength(7);
    expect(plainList.nextCursor).toBeNull();
    expect((await dave.fetch("/api/chats?cursor=not-a-cursor")).status).toBe(400);
    expect((await dave.fetch("/api/chats?limit=0")).status).toBe(400);
  });

  it.skipIf(skip)("PATCH refuses bad input with 400 and changes nothing; another member's chat is a 404", async () => {
    const before = await listAll(bob, 100);
    for (const body of [{}, { pinned: "yes" }, { title: "" }, { title: "x".repeat(201) }]) {
      const response = await patchJson(bob, `/api/chats/${offsiteId}`, body);
      expect(response.status).toBe(400);
    }
    expect((await patchJson(carol, `/api/chats/${offsiteId}`, { pinned: true })).status).toBe(404);
    expect(await listAll(bob, 100)).toEqual(before);
  });

  it.skipIf(skip)("shares a chat read-only with another member; anonymous visitors get nothing; revoked links are gone", async () => {
    const anonymous = new Session(app.url);
    // Only the owner can make, see or revoke the link.
    for (const [method, expected] of [
      ["GET", 404],
      ["POST", 404],
      ["DELETE", 404],
    ] as const) {
      expect((await carol.fetch(`/api/chats/${offsiteId}/share`, { method })).status).toBe(expected);
      expect((await anonymous.fetch(`/api/chats/${offsiteId}/share`, { method })).status).toBe(401);
    }
    expect(await json<{ share: null }>(await bob.fetch(`/api/chats/${offsiteId}/share`))).toEqual({ share: null });

    const made = await json<{ share: { url: string; token: string } }>(
      await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/share`, { method: "POST" }), 201, "share"),
    );
    const { token, url } = made.share;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).toBe(`${app.url}/share/${token}`);
    // Asking again answers the same live link.
    const again = await json<{ share: { token: string } }>(
      await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/share`, { method: "POST" }), 200, "share again"),
    );
    expect(again.share.token).toBe(token);

    // Another member reads it (API and page), and still cannot open the chat itself or write to it.
    const shared = await json<{ chat: { title: string; ownerName: string; messages: { role: string; parts: { text?: string }[] }[] } }>(
      await expectStatus(await carol.fetch(`/api/shares/${token}`), 200, "read share"),
    );
    expect(shared.chat.title).toBe("Plan the team offsite");
    expect(shared.chat.ownerName).toBe("Bob");
    expect(shared.chat.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(JSON.stringify(shared.chat.messages)).toContain("zanzibar harmonica");
    const page = await expectStatus(await carol.fetch(`/share/${token}`), 200, "share page");
    const html = await page.text();
    expect(html).toContain("Plan the team offsite");
    expect(html).toContain("Read-only");
    expect((await carol.fetch(`/api/chats/${offsiteId}`)).status).toBe(404);
    expect((await carol.postJson("/api/chat", chatBody("Hijack", undefined, offsiteId))).status).toBe(403);

    // Anonymous visitors: 401 from the API, sign-in from the page, and not a word of the chat.
    const anonymousApi = await anonymous.fetch(`/api/shares/${token}`);
    expect(anonymousApi.status).toBe(401);
    const anonymousPage = await anonymous.fetch(`/share/${token}`);
    expect(anonymousPage.status).toBe(307);
    expect(anonymousPage.headers.get("location")).toContain(`/signin?callbackUrl=${encodeURIComponent(`/share/${token}`)}`);
    for (const text of [await anonymousApi.text(), await anonymousPage.text()]) {
      expect(text).not.toContain("offsite");
      expect(text).not.toContain("zanzibar");
    }

    // Revoked: gone for everyone, the owner included, and a new link is a new token.
    await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/share`, { method: "DELETE" }), 204, "revoke");
    expect((await carol.fetch(`/api/shares/${token}`)).status).toBe(404);
    expect((await bob.fetch(`/api/shares/${token}`)).status).toBe(404);
    const gonePage = await carol.fetch(`/share/${token}`);
    expect(gonePage.status).toBe(404);
    expect(await gonePage.text()).not.toContain("harmonica");
    expect(await json<{ share: null }>(await bob.fetch(`/api/chats/${offsiteId}/share`))).toEqual({ share: null });
    const fresh = await json<{ share: { token: string } }>(
      await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/share`, { method: "POST" }), 201, "share anew"),
    );
    expect(fresh.share.token).not.toBe(token);
    await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/share`, { method: "DELETE" }), 204, "revoke again");
    expect((await carol.fetch(`/api/shares/not-a-token`)).status).toBe(404);
  });

  it.skipIf(skip)("exports a chat as Markdown and as JSON, to its owner only", async () => {
    const md = await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/export?format=md`), 200, "md");
    expect(md.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(md.headers.get("content-disposition")).toMatch(/^attachment; filename="Plan-the-team-offsite\.md"/);
    const markdown = await md.text();
    expect(markdown).toMatch(/^# Plan the team offsite\n/);
    expect(markdown).toContain("## You\n\nPlan the team offsite\n");
    expect(markdown).toContain("## You\n\nBring the zanzibar harmonica, please\n");
    expect(markdown).toMatch(/## Assistant \(anthropic\/claude-sonnet-4\.5\)\n\nEcho: Bring the zanzibar harmonica, please\n/);
    // Markdown is the default.
    expect(await (await bob.fetch(`/api/chats/${offsiteId}/export`)).text()).toBe(markdown);

    const js = await expectStatus(await bob.fetch(`/api/chats/${offsiteId}/export?format=json`), 200, "json");
    expect(js.headers.get("content-type")).toMatch(/^application\/json/);
    expect(js.headers.get("content-disposition")).toMatch(/^attachment; filename="Plan-the-team-offsite\.json"/);
    const exported = (await js.json()) as {
      chat: { id: string; title: string; modelId: string };
      messages: { role: string; text: string; createdAt: string; parts: unknown[] }[];
    };
    expect(exported.chat).toMatchObject({ id: offsiteId, title: "Plan the team offsite", modelId: "anthropic/claude-sonnet-4.5" });
    expect(exported.messages.map((m) => [m.role, m.text])).toEqual([
      ["user", "Plan the team offsite"],
      ["assistant", "Echo: Plan the team offsite"],
      ["user", "Bring the zanzibar harmonica, please"],
      ["assistant", "Echo: Bring the zanzibar harmonica, please"],
    ]);
    expect(exported.messages.every((m) => Array.isArray(m.parts) && !Number.isNaN(Date.parse(m.createdAt)))).toBe(true);

    expect((await bob.fetch(`/api/chats/${offsiteId}/export?format=xml`)).status).toBe(400);
    for (const format of ["md", "json"]) {
      const refused = await carol.fetch(`/api/chats/${offsiteId}/export?format=${format}`);
      expect(refused.status).toBe(404);
      expect(await refused.text()).not.toContain("zanzibar");
      expect((await new Session(app.url).fetch(`/api/chats/${offsiteId}/export?format=${format}`)).status).toBe(401);
    }
  });

  /** Every chat of a session, page by page; fails on a repeat. */
  async function listAll(session: Session, limit: number): Promise<ListedChat[]> {
    const chats: ListedChat[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
      const page: { chats: ListedChat[]; nextCursor: string | null } = await json(
        await expectStatus(await session.fetch(`/api/chats?${query}`), 200, "list"),
      );
      expect(page.chats.length).toBeLessThanOrEqual(limit);
      chats.push(...page.chats);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(chats.map((c) => c.id)).size).toBe(chats.length);
    return chats;
  }
});
