"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import type { HourBucket } from "@/lib/queries/ingest-health";

const SERIES = [
  { key: "tenovi", name: "Tenovi", color: "oklch(0.47 0.15 250)" },
  { key: "validic", name: "Validic", color: "oklch(0.62 0.15 150)" },
  { key: "smartz", name: "Smartz", color: "oklch(0.7 0.15 70)" },
] as const;

function hourLabel(iso: string): string {
  return new Intl.DateTimeFormat("en-US", { hour: "numeric" }).format(new Date(iso));
}

// Stored payloads per hour over the last day, stacked by vendor. The page shows the same numbers as a table.
export function DeliveriesChart({ hours }: { hours: HourBucket[] }) {
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        {/* Hidden from assistive technology, so not focusable either: the table below the chart is its accessible form. */}
        <BarChart data={hours} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="hour" tickFormatter={hourLabel} fontSize={11} interval={2} />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip labelFormatter={(label) => hourLabel(String(label))} />
          <Legend />
          {SERIES.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} stackId="deliveries" fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
