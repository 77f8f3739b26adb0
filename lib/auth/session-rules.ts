import type { User } from "@/lib/db/generated/client";

type AccountState = Pick<User, "disabledAt" | "deletedAt" | "pendingApproval">;

/** An account that may hold a session: not disabled, not deleted, not waiting for approval. */
export function canSignIn(user: AccountState): boolean {
  return user.disabledAt === null && user.deletedAt === null && !user.pendingApproval;
}

/** A session is still good when its account may sign in and it was issued at the current version. */
export function sessionStillValid(user: AccountState & Pick<User, "sessionVersion">, sessionVersion: number): boolean {
  return canSignIn(user) && user.sessionVersion === sessionVersion;
}
