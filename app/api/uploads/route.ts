import { requireUser } from "@/lib/auth/session";
import { receiveUpload } from "@/lib/attachments/uploads";
import { route } from "@/lib/http/handler";

export const dynamic = "force-dynamic";

/** One file (multipart field `file`) → 201 `{ id, url, mediaType, filename, size }`; `url` goes in a message's file part. */
export const POST = route(async (request: Request) => {
  const user = await requireUser(request);
  return Response.json(await receiveUpload(request, user), { status: 201 });
});
