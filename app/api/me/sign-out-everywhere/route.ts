import { signOutEverywhere } from "@/lib/auth/profile";
import { requireUser } from "@/lib/auth/session";
import { clientIp, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Ends every session of the signed-in user, this one included → 204. */
export const POST = route(async (request: Request) => {
  const user = await requireUser(request);
  await signOutEverywhere(user, clientIp(request.headers));
  return new Response(null, { status: 204 });
});
