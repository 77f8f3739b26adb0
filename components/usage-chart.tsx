"use client";

import { Bar, CartesianGrid, ComposedChart, Line, XAxis, YAxis } from "recharts";
import { ChartContainer, ChartLegend, ChartLegendContent, ChartTooltip, ChartTooltipContent, type ChartConfig } from "@/components/ui/chart";

export interface UsageChartDay {
  day: string;
  cost: number;
  tokens: number;
}

const config = {
  cost: { label: "Cost (USD)", color: "var(--chart-1)", format: (v) => `$${v.toFixed(4)}` },
  tokens: { label: "Tokens", color: "var(--chart-2)", format: (v) => v.toLocaleString() },
} satisfies ChartConfig;

const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const usdTick = (v: number) => (v === 0 ? "$0" : v < 1 ? `$${Number(v.toPrecision(2))}` : `$${compact.format(v)}`);

/** Daily cost (bars, left axis) and tokens (line, right axis). */
export function UsageChart({ days }: { days: UsageChartDay[] }) {
  return (
    <ChartContainer config={config} className="aspect-auto h-64 w-full" data-testid="usage-chart">
      <ComposedChart data={days} margin={{ top: 8, right: 4, left: 4, bottom: 0 }}>
        <CartesianGrid vertical={false} />
        <XAxis dataKey="day" tickLine={false} axisLine={false} tickMargin={8} minTickGap={24} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis yAxisId="cost" tickLine={false} axisLine={false} width={56} tickFormatter={usdTick} />
        <YAxis yAxisId="tokens" orientation="right" tickLine={false} axisLine={false} width={48} tickFormatter={(v: number) => compact.format(v)} />
        <ChartTooltip content={<ChartTooltipContent />} />
        <ChartLegend content={<ChartLegendContent />} />
        <Bar yAxisId="cost" dataKey="cost" fill="var(--color-cost)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line yAxisId="tokens" dataKey="tokens" stroke="var(--color-tokens)" strokeWidth={2} dot={false} type="monotone" isAnimationActive={false} />
      </ComposedChart>
    </ChartContainer>
  );
}
