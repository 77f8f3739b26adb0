/** The sidebar's groups, in the browser's local time. Pure, so the client and tests share it. */
export const SECTIONS = ["Pinned", "Today", "Yesterday", "Previous 7 days", "Older"] as const;
export type Section = (typeof SECTIONS)[number];

export interface SidebarChat {
  id: string;
  title: string;
  /** ISO 8601 */
  updatedAt: string;
  pinnedAt: string | null;
}

/** `startOfToday`: local midnight today, in milliseconds. Days are counted in calendar days, not 24 h blocks. */
export function sectionOf(chat: SidebarChat, startOfToday: number): Section {
  if (chat.pinnedAt) return "Pinned";
  const t = Date.parse(chat.updatedAt);
  if (t >= startOfToday) return "Today";
  const today = new Date(startOfToday);
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1).getTime();
  if (t >= yesterday) return "Yesterday";
  const weekAgo = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 7).getTime();
  return t >= weekAgo ? "Previous 7 days" : "Older";
}

/** The server's order: pinned first (latest pin first), then by last activity; ids break ties. */
export function compareChats(a: SidebarChat, b: SidebarChat): number {
  const desc = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  if (a.pinnedAt && b.pinnedAt) return desc(a.pinnedAt, b.pinnedAt) || desc(a.id, b.id);
  if (a.pinnedAt || b.pinnedAt) return a.pinnedAt ? -1 : 1;
  return desc(a.updatedAt, b.updatedAt) || desc(a.id, b.id);
}

export function groupChats(chats: SidebarChat[], startOfToday: number | null): { section: Section | null; chats: SidebarChat[] }[] {
  const sorted = [...chats].sort(compareChats);
  // Before the browser's clock is known (the server render), one list without headings.
  if (startOfToday === null) return sorted.length ? [{ section: null, chats: sorted }] : [];
  const groups = new Map<Section, SidebarChat[]>();
  for (const chat of sorted) {
    const section = sectionOf(chat, startOfToday);
    groups.set(section, [...(groups.get(section) ?? []), chat]);
  }
  return SECTIONS.filter((s) => groups.has(s)).map((section) => ({ section, chats: groups.get(section)! }));
}

