import { auditActor } from "@/lib/audit/record";
import { requireAdmin } from "@/lib/auth/session";
import { readJson, route } from "@/lib/http/handler";
import { getWorkspaceSettings, updateWorkspaceSettings, workspaceSettingsChange } from "@/lib/workspace/settings";

export const dynamic = "force-dynamic";

export const GET = route(async (request: Request) => {
  await requireAdmin(request);
  return Response.json({ settings: await getWorkspaceSettings() });
});

export const PATCH = route(async (request: Request) => {
  const admin = await requireAdmin(request);
  const change = await readJson(request, workspaceSettingsChange);
  return Response.json({ settings: await updateWorkspaceSettings(auditActor(admin, request.headers), change) });
});
