import "server-only";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/lib/auth";
import { readSessionToken, type SessionToken } from "@/lib/auth/token";
import { getUserById } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getUserById>>>;

const isActive = (user: CurrentUser | null): user is CurrentUser => user !== null && user.disabledAt === null;

/**
 * The signed-in user as the database knows them now. The session only proves identity: role
 * and disabled state are read fresh, so a disabled or demoted user is refused on the next request.
 * Cached per request, so a layout and its page share one lookup.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getUserById({ id });
  return isActive(user) ? user : null;
});

/** For route handlers: the verified session cookie, or 401. Cheap: no database, no Auth.js pipeline. */
export async function requireSession(request: Request): Promise<SessionToken> {
  const token = await readSessionToken(request.headers);
  if (!token) throw new AppError("unauthorized:auth");
  return token;
}

/** A user row as read for this request: gone or disabled means 401. */
export function assertActiveUser(user: CurrentUser | null): CurrentUser {
  if (!isActive(user)) throw new AppError("unauthorized:auth");
  return user;
}

/** For route handlers: 401 JSON when there is no usable session. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const { id } = await requireSession(request);
  return assertActiveUser(await getUserById({ id }));
}

function assertAdmin(user: CurrentUser): CurrentUser {
  if (user.role !== "ADMIN") throw new AppError("forbidden:admin", "Only admins can do that.");
  return user;
}

export async function requireAdmin(request: Request): Promise<CurrentUser> {
  return assertAdmin(await requireUser(request));
}

/** For server actions, which have no Request: the full Auth.js session check. */
export async function requireAdminAction(): Promise<CurrentUser> {
  return assertAdmin(assertActiveUser(await getCurrentUser()));
}

/** For pages: redirect instead of JSON. */
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
