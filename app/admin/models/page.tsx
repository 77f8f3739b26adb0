import { AdminPageHeader } from "@/components/admin-page-header";
import { requirePageAdmin } from "@/lib/auth/session";
import { TeeBadge } from "@/components/model-picker";
import { ModelToggle, RefreshModelsButton } from "@/components/admin-models";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listAllModels } from "@/lib/db/models";

export const metadata = { title: "Models · Pillbox admin" };

const perMillion = (price: { toString(): string }) => `$${(Number(price.toString()) * 1e6).toFixed(2)}`;

export default async function ModelsPage() {
  await requirePageAdmin();
  const models = await listAllModels();
  return (
    <div className="flex flex-col gap-4">
      <AdminPageHeader title="Models" actions={<RefreshModelsButton />}>
        RedPill&apos;s catalog. Disabled models are hidden from members.
      </AdminPageHeader>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Model</TableHead>
            <TableHead className="text-right">Context</TableHead>
            <TableHead className="text-right">Prompt / 1M</TableHead>
            <TableHead className="text-right">Completion / 1M</TableHead>
            <TableHead>Enabled</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {models.map((model) => (
            <TableRow key={model.id}>
              <TableCell>
                <div className="flex items-center gap-2">
                  <span className="font-medium">{model.name}</span>
                  {model.isTee && <TeeBadge />}
                </div>
                <div className="font-mono text-xs text-muted-foreground">{model.id}</div>
              </TableCell>
              <TableCell className="text-right tabular-nums">{model.contextLength?.toLocaleString("en-US") ?? "—"}</TableCell>
              <TableCell className="text-right tabular-nums">{perMillion(model.promptPrice)}</TableCell>
              <TableCell className="text-right tabular-nums">{perMillion(model.completionPrice)}</TableCell>
              <TableCell>
                <ModelToggle id={model.id} enabled={model.enabled} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
