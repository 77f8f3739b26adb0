import { linkTokenParams } from "@/lib/auth/link-token";
import { newPasswordInput, redeemPasswordReset } from "@/lib/auth/password-resets";
import { signInAgain } from "@/lib/auth/sign-in-again";
import { clientIp, parseWith, readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Public: `{ password }` → 200 and a fresh session; every older session of the user ends. Once per link. */
export const POST = route(async (request: Request, context: { params: Promise<{ token: string }> }) => {
  const { token } = parseWith(linkTokenParams, await context.params);
  const { password } = await readJson(request, newPasswordInput);
  const { email } = await redeemPasswordReset(token, password, clientIp(request.headers));
  await signInAgain(email, password);
  return Response.json({ ok: true });
});
