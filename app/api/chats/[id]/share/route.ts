import { z } from "zod";
import { publicOrigin } from "@/lib/auth/link-token";
import { requireUser } from "@/lib/auth/session";
import { requireOwnedChat } from "@/lib/chat/chats";
import { currentShare, ensureShare, revokeShare, shareLink } from "@/lib/chat/share";
import { parseWith, route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.uuid() });
type Context = { params: Promise<{ id: string }> };

/** Only the chat's owner manages its link; anyone else gets the same 404 as for a chat that does not exist. */
async function ownedChat(request: Request, context: Context) {
  const user = await requireUser(request);
  const { id } = parseWith(params, await context.params);
  return requireOwnedChat({ user, chatId: id });
}

/** The chat's live read-only link, or `{ share: null }`. */
export const GET = route(async (request: Request, context: Context) => {
  const chat = await ownedChat(request, context);
  const share = await currentShare(chat.id);
  return Response.json({ share: share ? shareLink(share, publicOrigin(request.headers)) : null });
});

/** Makes the link (201), or answers the live one (200). */
export const POST = route(async (request: Request, context: Context) => {
  const chat = await ownedChat(request, context);
  const { share, created } = await ensureShare(chat.id);
  return Response.json({ share: shareLink(share, publicOrigin(request.headers)) }, { status: created ? 201 : 200 });
});

/** Revokes the link: from now on it answers 404. */
export const DELETE = route(async (request: Request, context: Context) => {
  const chat = await ownedChat(request, context);
  await revokeShare(chat.id);
  return new Response(null, { status: 204 });
});
