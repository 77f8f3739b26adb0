import { signUp, signupInput } from "@/lib/auth/signup";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** Open sign-up over HTTP (the /signup page uses the same function through a server action). */
export const POST = route(async (request: Request) => {
  const input = await readJson(request, signupInput);
  const user = await signUp(input);
  return Response.json(
    { user: { id: user.id, email: user.email, name: user.name, role: user.role, pending: user.pendingApproval } },
    { status: 201 },
  );
});
