import { myProfile, profileChangeInput, renameMe } from "@/lib/auth/profile";
import { requireUser } from "@/lib/auth/session";
import { clientIp, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** `{ user, groups, models }`: who I am, my groups (Everyone first) and the models I may use. */
export const GET = route(async (request: Request) => {
  const user = await requireUser(request);
  return Response.json(await myProfile(user));
});

/** `{ name }` → `{ user }`. */
export const PATCH = route(async (request: Request) => {
  const user = await requireUser(request);
  const { name } = await readJson(request, profileChangeInput);
  const updated = await renameMe(user, name, clientIp(request.headers));
  return Response.json({ user: { id: updated.id, email: updated.email, name: updated.name, role: updated.role } });
});
