import "server-only";
import { forbidden, redirect } from "next/navigation";
import { auth } from "@/lib/auth";
import { getUserById } from "@/lib/db/users";
import { AppError } from "@/lib/errors";

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getUserById>>>;

/**
 * The signed-in user as the database knows them now. The session only proves identity: role
 * and disabled state are read fresh, so a disabled or demoted user is refused on the next request.
 */
export async function getCurrentUser(): Promise<CurrentUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const user = await getUserById({ id });
  if (!user || user.disabledAt) return null;
  return user;
}

/** For route handlers: 401 JSON when there is no usable session. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthorized:auth");
  return user;
}

export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "ADMIN") throw new AppError("forbidden:admin", "Only admins can do that.");
  return user;
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
