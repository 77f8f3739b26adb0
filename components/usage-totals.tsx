import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** A row of headline numbers. */
export function UsageTotalCards({ items }: { items: { label: string; value: string; hint?: string }[] }) {
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-5" data-testid="usage-totals">
      {items.map((item) => (
        <Card key={item.label} className="gap-1 py-4" data-testid={`total-${item.label.toLowerCase().replace(/\W+/g, "-")}`}>
          <CardHeader className="px-4">
            <CardDescription>{item.label}</CardDescription>
          </CardHeader>
          <CardContent className="px-4">
            <CardTitle className="text-2xl tabular-nums">{item.value}</CardTitle>
            {item.hint && <p className="mt-1 text-xs text-muted-foreground">{item.hint}</p>}
          </CardContent>
        </Card>
      ))}
    </div>
  );
}
