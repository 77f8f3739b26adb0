/**
 * Deleting a chat from the sidebar with an undo toast: the chat disappears at once and the DELETE
 * is sent when the toast closes without "Undo" (it times out, or is dismissed). Until then nothing
 * is deleted on the server, so an undo can never lose anything. Leaving the page first still
 * deletes: a keepalive DELETE goes out on `pagehide`, and the pending ids are kept in
 * sessionStorage, so a reload hides them at once and sends their DELETE again (a 404 counts as
 * done). Client-side only; one store per tab, shared by every sidebar on the page.
 */
type Listener = () => void;
export type DeleteOutcome = "deleted" | "undone" | "failed";

const STORAGE_KEY = "pillbox:pending-chat-deletes";
const pending = new Set<string>();
/** Deleted for good in this tab: kept hidden even where a list still holds them. */
const gone = new Set<string>();
const listeners = new Set<Listener>();
let snapshot: ReadonlySet<string> = new Set();
const EMPTY: ReadonlySet<string> = new Set();

function changed() {
  snapshot = new Set([...pending, ...gone]);
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify([...pending]));
  } catch {
    // storage unavailable (private mode, quota): the pagehide request still covers leaving
  }
  for (const listener of listeners) listener();
}

export function subscribePendingDeletes(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The chats a sidebar must not show: being deleted, or deleted. */
export const hiddenChats = (): ReadonlySet<string> => snapshot;
export const noHiddenChats = (): ReadonlySet<string> => EMPTY;

function send(id: string, keepalive: boolean): Promise<Response> {
  return fetch(`/api/chats/${encodeURIComponent(id)}`, { method: "DELETE", keepalive });
}

export function scheduleDelete(id: string): void {
  pending.add(id);
  changed();
}

/** "Undo": the chat comes back; nothing was sent. */
export function cancelDelete(id: string): void {
  if (pending.delete(id)) changed();
}

/** Sends the DELETE once: a second call, or one after "Undo", does nothing ("undone"). */
export async function commitDelete(id: string): Promise<DeleteOutcome> {
  if (!pending.has(id)) return "undone";
  let outcome: DeleteOutcome;
  try {
    const response = await send(id, false);
    outcome = response.ok || response.status === 404 ? "deleted" : "failed";
  } catch {
    outcome = "failed";
  }
  if (!pending.delete(id)) return "undone";
  // Failed: the chat comes back, and the caller says so.
  if (outcome === "deleted") gone.add(id);
  changed();
  return outcome;
}

if (typeof window !== "undefined") {
  try {
    const left = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "[]") as unknown;
    if (Array.isArray(left)) for (const id of left) if (typeof id === "string") pending.add(id);
  } catch {
    // nothing usable stored
  }
  if (pending.size > 0) {
    snapshot = new Set(pending);
    for (const id of [...pending]) void commitDelete(id);
  }
  window.addEventListener("pagehide", () => {
    for (const id of pending) void send(id, true);
  });
}
