import { changeMyPassword, passwordChangeInput } from "@/lib/auth/profile";
import { requireUser } from "@/lib/auth/session";
import { signInAgain } from "@/lib/auth/sign-in-again";
import { clientIp, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/**
 * `{ currentPassword, newPassword }` → 200. Every other session ends; this one gets a fresh
 * cookie in the response. A wrong current password is a 403.
 */
export const POST = route(async (request: Request) => {
  const user = await requireUser(request);
  const input = await readJson(request, passwordChangeInput);
  await changeMyPassword(user, input, clientIp(request.headers));
  await signInAgain(user.email, input.newPassword);
  return Response.json({ ok: true });
});
