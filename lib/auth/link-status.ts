/** Why a one-time link no longer works, in words for its page. */
export type LinkStatus = "pending" | "used" | "revoked" | "expired";

export function linkStatus(link: { usedAt: Date | null; revokedAt?: Date | null; expiresAt: Date }, now = new Date()): LinkStatus {
  if (link.usedAt) return "used";
  if (link.revokedAt) return "revoked";
  if (link.expiresAt <= now) return "expired";
  return "pending";
}

export const linkProblem: Record<Exclude<LinkStatus, "pending">, string> = {
  used: "This link has already been used.",
  revoked: "This link was revoked by an admin.",
  expired: "This link has expired.",
};
