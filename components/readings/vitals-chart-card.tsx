import { VitalsChartClient } from "@/components/readings/vitals-chart-client";
import { Card } from "@/components/ui/card";
import { chartPlot, type VitalsChart } from "@/lib/readings/vitals";
import { cn } from "@/lib/utils";

// A chart as a figure: its title and a written summary (also the SVG's description), the chart, and the same data
// as a table behind a disclosure for screen-reader and keyboard users. Empty charts collapse to one line.
export function VitalsChartCard({ chart, domain, ticks, timeZone, className }: { chart: VitalsChart; domain: [number, number]; ticks: number[]; timeZone: string; className?: string }) {
  const titleId = `chart-${chart.id}-title`;
  const summaryId = `chart-${chart.id}-summary`;
  if (chart.data.length === 0) {
    return (
      <Card className={cn("px-5 py-3", className)} aria-labelledby={titleId}>
        <h2 id={titleId} className="text-sm font-semibold">
          {chart.title}
        </h2>
        <p className="text-sm text-muted-foreground">No readings in this range.</p>
      </Card>
    );
  }
  return (
    <Card className={className}>
      <figure aria-labelledby={titleId} aria-describedby={summaryId} className="flex flex-col gap-3 px-5 py-4">
        <figcaption className="flex flex-col gap-1">
          <h2 id={titleId} className="text-base font-semibold">
            {chart.title}
          </h2>
          {chart.stats.length > 0 ? (
            <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
              {chart.stats.map((s) => (
                <div key={s.label} className="flex gap-1.5">
                  <dt className="text-muted-foreground">{s.label}</dt>
                  <dd className="font-medium tabular-nums">{s.value}</dd>
                </div>
              ))}
            </dl>
          ) : null}
          <p id={summaryId} className="text-xs text-muted-foreground">
            {chart.summary}
          </p>
        </figcaption>
        <VitalsChartClient chart={chartPlot(chart)} domain={domain} ticks={ticks} timeZone={timeZone} />
        <details className="text-sm">
          <summary className="cursor-pointer rounded-sm text-primary hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
            {chart.title}: data table ({chart.table.rows.length} rows)
          </summary>
          <div className="mt-2 max-h-72 overflow-auto rounded-md border">
            <table className="w-full text-xs">
              <caption className="sr-only">{chart.title} readings, newest first</caption>
              <thead className="sticky top-0 bg-muted">
                <tr>
                  {chart.table.columns.map((c) => (
                    <th key={c} scope="col" className="px-2 py-1.5 text-left font-semibold">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {chart.table.rows.map((row) => (
                  <tr key={row.key} className={cn("border-t", row.isFlagged && "bg-destructive/5")}>
                    {row.cells.map((cell, i) => (
                      <td key={i} className={cn("px-2 py-1 tabular-nums", i === row.cells.length - 1 && row.isFlagged && "font-semibold text-destructive")}>
                        {cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figure>
    </Card>
  );
}
