import { setupFirstAdmin, setupInput } from "@/lib/auth/setup";
import { setupTokenFrom } from "@/lib/auth/setup-token";
import { readJson, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** First-run setup over HTTP (the /setup page uses the same function through a server action). */
export const POST = route(async (request: Request) => {
  const input = await readJson(request, setupInput);
  const admin = await setupFirstAdmin({ ...input, token: input.token ?? setupTokenFrom(request) });
  return Response.json({ user: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } }, { status: 201 });
});
