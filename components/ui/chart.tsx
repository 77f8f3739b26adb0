"use client";

import { createContext, useContext, useId, type ComponentProps, type CSSProperties, type ReactNode } from "react";
import * as Recharts from "recharts";
import { cn } from "@/lib/utils";

/** shadcn/ui's chart pattern: series are named once here and coloured through CSS variables. */
export type ChartConfig = Record<string, { label: ReactNode; color: string; format?: (value: number) => string }>;

const ChartContext = createContext<ChartConfig | null>(null);

function useChart(): ChartConfig {
  const config = useContext(ChartContext);
  if (!config) throw new Error("useChart must be used inside <ChartContainer>");
  return config;
}

export function ChartContainer({
  config,
  className,
  children,
  ...props
}: ComponentProps<"div"> & { config: ChartConfig; children: ComponentProps<typeof Recharts.ResponsiveContainer>["children"] }) {
  const id = useId().replace(/:/g, "");
  const colors = Object.fromEntries(Object.entries(config).map(([key, { color }]) => [`--color-${key}`, color]));
  return (
    <ChartContext.Provider value={config}>
      <div
        data-chart={id}
        style={colors as CSSProperties}
        className={cn(
          "flex aspect-video justify-center text-xs",
          "[&_.recharts-cartesian-axis-tick_text]:fill-muted-foreground [&_.recharts-cartesian-grid_line]:stroke-border/60",
          "[&_.recharts-rectangle.recharts-tooltip-cursor]:fill-muted [&_.recharts-surface]:outline-hidden",
          className,
        )}
        {...props}
      >
        <Recharts.ResponsiveContainer>{children}</Recharts.ResponsiveContainer>
      </div>
    </ChartContext.Provider>
  );
}

export const ChartTooltip = Recharts.Tooltip;
export const ChartLegend = Recharts.Legend;

interface TooltipItem {
  dataKey?: string | number | ((obj: unknown) => unknown);
  value?: unknown;
  color?: string;
}

export function ChartTooltipContent({
  active,
  payload,
  label,
}: {
  active?: boolean;
  payload?: readonly TooltipItem[];
  label?: ReactNode;
}) {
  const config = useChart();
  if (!active || !payload?.length) return null;
  return (
    <div className="grid min-w-32 gap-1.5 rounded-lg border bg-background px-2.5 py-1.5 text-xs shadow-xl">
      <div className="font-medium">{label}</div>
      {payload.map((item) => {
        const key = String(item.dataKey);
        const series = config[key];
        const value = Number(item.value ?? 0);
        return (
          <div key={key} className="flex items-center gap-2">
            <span className="size-2.5 shrink-0 rounded-[2px]" style={{ background: `var(--color-${key})` }} />
            <span className="text-muted-foreground">{series?.label ?? key}</span>
            <span className="ml-auto font-mono font-medium tabular-nums">
              {series?.format ? series.format(value) : value.toLocaleString()}
            </span>
          </div>
        );
      })}
    </div>
  );
}

export function ChartLegendContent({ payload }: { payload?: readonly { dataKey?: unknown }[] }) {
  const config = useChart();
  if (!payload?.length) return null;
  return (
    <div className="flex items-center justify-center gap-4 pt-3">
      {payload.map((item) => {
        const key = String(item.dataKey);
        return (
          <div key={key} className="flex items-center gap-1.5">
            <span className="size-2 shrink-0 rounded-[2px]" style={{ background: `var(--color-${key})` }} />
            {config[key]?.label ?? key}
          </div>
        );
      })}
    </div>
  );
}
