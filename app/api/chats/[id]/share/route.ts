import { publicOrigin } from "@/lib/auth/link-token";
import { requireOwnedChatOf, type ChatRouteContext } from "@/lib/chat/chats";
import { currentShare, ensureShare, revokeShare, shareLink } from "@/lib/chat/share";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

// Only the chat's owner manages its link; anyone else gets the same 404 as for a chat that does not exist.

/** The chat's live read-only link, or `{ share: null }`. */
export const GET = route(async (request: Request, context: ChatRouteContext) => {
  const chat = await requireOwnedChatOf(request, context);
  const share = await currentShare(chat.id);
  return Response.json({ share: share ? shareLink(share, publicOrigin(request.headers)) : null });
});

/** Makes the link (201), or answers the live one (200). */
export const POST = route(async (request: Request, context: ChatRouteContext) => {
  const chat = await requireOwnedChatOf(request, context);
  const { share, created } = await ensureShare(chat.id);
  return Response.json({ share: shareLink(share, publicOrigin(request.headers)) }, { status: created ? 201 : 200 });
});

/** Revokes the link: from now on it answers 404. */
export const DELETE = route(async (request: Request, context: ChatRouteContext) => {
  const chat = await requireOwnedChatOf(request, context);
  await revokeShare(chat.id);
  return new Response(null, { status: 204 });
});
