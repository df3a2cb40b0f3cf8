import { ChartDataTable } from "@/components/readings/chart-data-table";
import { VitalsChartClient } from "@/components/readings/vitals-chart-client";
import { Card } from "@/components/ui/card";
import { chartPlot, type VitalsChart } from "@/lib/readings/vitals";
import { cn } from "@/lib/utils";

// A chart as a figure: its title and a written summary (also the SVG's description), the chart, and the same data
// as a table behind a disclosure for screen-reader and keyboard users (drawn when opened). Empty charts collapse to
// one line.
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
        <ChartDataTable title={chart.title} table={chart.table} />
      </figure>
    </Card>
  );
}
