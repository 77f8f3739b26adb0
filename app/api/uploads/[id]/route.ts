import { requireUser } from "@/lib/auth/session";
import { serveAttachment } from "@/lib/attachments/uploads";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** The file, to its uploader or a reader of its chat's live share link (`?share=<token>`); 404 for anyone else. */
export const GET = route(async (request: Request, context: { params: Promise<{ id: string }> }) => {
  const user = await requireUser(request);
  return serveAttachment(request, user, (await context.params).id);
});
