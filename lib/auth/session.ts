import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/lib/auth";
import { sessionStillValid } from "@/lib/auth/session-rules";
import { readSessionToken, type SessionToken } from "@/lib/auth/token";
import { forPage } from "@/lib/db/unavailable";
import { getUserById } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getUserById>>>;

function isActive(user: CurrentUser | null, sessionVersion: number): user is CurrentUser {
  return user !== null && sessionStillValid(user, sessionVersion);
}

/**
 * The signed-in user as the database knows them now. The session only proves identity: role,
 * disabled state and the session version are read fresh, so a disabled, demoted or signed-out-
 * everywhere user is refused on the next request. Cached per request, so a layout and its page
 * share one lookup.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  // Every page asks this first: an unreachable database is then a clear error page, not a generic one.
  const user = await forPage(getUserById({ id }));
  return isActive(user, session.user.sessionVersion ?? 0) ? user : null;
});

/** For route handlers: the verified session cookie, or 401. Cheap: no database, no Auth.js pipeline. */
export async function requireSession(request: Request): Promise<SessionToken> {
  const token = await readSessionToken(request.headers);
  if (!token) throw new AppError("unauthorized:auth");
  return token;
}

/** A user row as read for this request: gone, disabled or from a revoked session means 401. */
export function assertActiveUser(user: CurrentUser | null, session: SessionToken): CurrentUser {
  if (!isActive(user, session.sessionVersion)) throw new AppError("unauthorized:auth");
  return user;
}

/** For route handlers: 401 JSON when there is no usable session. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const session = await requireSession(request);
  return assertActiveUser(await getUserById({ id: session.id }), session);
}

export function assertAdmin(user: CurrentUser): CurrentUser {
  if (user.role !== "ADMIN") throw new AppError("forbidden:admin", "Only admins can do that.");
  return user;
}

export async function requireAdmin(request: Request): Promise<CurrentUser> {
  return assertAdmin(await requireUser(request));
}

/** For server actions, which have no Request: the full Auth.js session check. */
export async function requireUserAction(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized:auth");
  return user;
}

export async function requireAdminAction(): Promise<CurrentUser> {
  return assertAdmin(await requireUserAction());
}

/** For pages: redirect instead of JSON. Call it in every page that shows protected data. */
export async function requirePageUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/signin");
  return user;
}

export async function requirePageAdmin(): Promise<CurrentUser> {
  const user = await requirePageUser();
  if (user.role !== "ADMIN") forbidden();
  return user;
}
