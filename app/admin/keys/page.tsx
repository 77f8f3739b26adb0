import { AdminKeys } from "@/components/admin-keys";
import { AdminPageHeader } from "@/components/admin-page-header";
import { Card, CardContent } from "@/components/ui/card";
import { requirePageAdmin } from "@/lib/auth/session";
import { listKeysForAdmin } from "@/lib/keys/manage";

export const metadata = { title: "API keys · Pillbox admin" };

export default async function AdminKeysPage() {
  await requirePageAdmin();
  const keys = await listKeysForAdmin();
  return (
    <div className="flex flex-col gap-6">
      <AdminPageHeader title="API keys">
        Members&apos; personal keys for the OpenAI-compatible API. Revoking one refuses it from its next request on; turn
        API access off for a whole group on the group&apos;s page.
      </AdminPageHeader>
      <Card>
        <CardContent>
          <AdminKeys keys={keys} />
        </CardContent>
      </Card>
    </div>
  );
}
