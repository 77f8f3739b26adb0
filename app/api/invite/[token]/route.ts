import { acceptInvite, acceptInviteInput, describeInvite } from "@/lib/auth/invites";
import { linkTokenParams } from "@/lib/auth/link-token";
import { signInAgain } from "@/lib/auth/sign-in-again";
import { clientIp, parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ token: string }> };

/** Public: what the invite offers, or why it no longer works. */
export const GET = route(async (_request: Request, context: Context) => {
  const { token } = parseWith(linkTokenParams, await context.params);
  return Response.json({ invite: await describeInvite(token) });
});

/** Public: `{ name, password, email? }` → 201 `{ user }` and a session cookie. Once per link. */
export const POST = route(async (request: Request, context: Context) => {
  const { token } = parseWith(linkTokenParams, await context.params);
  const input = await readJson(request, acceptInviteInput);
  const user = await acceptInvite(token, input, clientIp(request.headers));
  await signInAgain(user.email, input.password);
  return Response.json({ user: { id: user.id, email: user.email, name: user.name, role: user.role } }, { status: 201 });
});
