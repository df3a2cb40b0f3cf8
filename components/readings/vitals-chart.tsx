"use client";

import { useMemo } from "react";
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceArea, ReferenceLine, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis, type TooltipContentProps } from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";

import type { ChartDatum, SeriesSpec, VitalsChartPlot } from "@/lib/readings/vitals";

const ALERT_COLOR = "#b91c1c";

type DotProps = { cx?: number; cy?: number; payload?: ChartDatum; stroke?: string; index?: number };

// Normal points are small circles; a meter's HI/LO value is a labelled triangle, drawn at the value it reported.
function FlagDot({ cx, cy, payload, stroke, index }: DotProps) {
  if (cx === undefined || cy === undefined || !Number.isFinite(cx) || !Number.isFinite(cy)) return <g key={`empty-${index}`} />;
  if (payload?.flag) {
    const isHigh = payload.flag === "HI";
    const points = isHigh ? `${cx},${cy - 7} ${cx - 6},${cy + 4} ${cx + 6},${cy + 4}` : `${cx},${cy + 7} ${cx - 6},${cy - 4} ${cx + 6},${cy - 4}`;
    return (
      <g key={`flag-${index}`}>
        <polygon points={points} fill={ALERT_COLOR} stroke="#fff" strokeWidth={1} />
        <text x={cx} y={isHigh ? cy - 10 : cy + 18} textAnchor="middle" fontSize={10} fontWeight={700} fill={ALERT_COLOR}>
          {payload.flag}
        </text>
      </g>
    );
  }
  return <circle key={`dot-${index}`} cx={cx} cy={cy} r={2.5} fill={stroke} stroke="#fff" strokeWidth={1} />;
}

function ChartTooltip({
  active,
  payload,
  series,
  timeFormat,
  hasLanes,
}: Pick<TooltipContentProps<ValueType, NameType>, "active" | "payload"> & { series: SeriesSpec[]; timeFormat: Intl.DateTimeFormat; hasLanes: boolean }) {
  const datum = payload?.[0]?.payload as ChartDatum | undefined;
  if (!active || !datum) return null;
  return (
    <div className="rounded-md border bg-card px-3 py-2 text-xs shadow-md">
      <p className="font-medium">{timeFormat.format(datum.t)}</p>
      {/* On a chart of lanes a point's y is its lane, not a value: its note (the kind) says it. */}
      {(hasLanes ? [] : series).map((s) => {
        const value = datum[s.key];
        return typeof value === "number" ? (
          <p key={s.key}>
            {s.label}: <span className="font-medium tabular-nums">{value}</span> {s.unit}
          </p>
        ) : null;
      })}
      {datum.flag ? <p className="font-semibold text-destructive">Meter flag: {datum.flag} (value kept, not averaged)</p> : null}
      {datum.note ? <p className="text-muted-foreground">{datum.note}</p> : null}
    </div>
  );
}

// One vitals chart on the shared time axis, with the patient's alert thresholds drawn as shaded bands and dashed
// lines. The SVG carries the chart's title and description; the accessibility layer lets keyboard users step
// through the points. The card around it holds the same data as a table.
export function VitalsChartView({ chart, domain, ticks, timeZone }: { chart: VitalsChartPlot; domain: [number, number]; ticks: number[]; timeZone: string }) {
  const formats = useMemo(
    () => ({
      tick: new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone }),
      tooltip: new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }),
    }),
    [timeZone],
  );
  const hasRightAxis = chart.series.some((s) => s.axis === "right");
  return (
    <div className="h-60 w-full">
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 560, height: 240 }}>
        <ComposedChart data={chart.data} margin={{ top: 12, right: hasRightAxis ? 4 : 16, bottom: 0, left: 0 }} accessibilityLayer title={chart.title} desc={chart.summary}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={ticks} allowDataOverflow tickFormatter={(t: number) => formats.tick.format(t)} fontSize={11} />
          {chart.lanes ? (
            <YAxis
              yAxisId="left"
              type="number"
              domain={[0.5, chart.lanes.length + 0.5]}
              ticks={chart.lanes.map((_, i) => i + 1)}
              tickFormatter={(lane: number) => chart.lanes?.[lane - 1] ?? ""}
              width={56}
              fontSize={11}
            />
          ) : (
            <YAxis yAxisId="left" domain={["auto", "auto"]} width={44} fontSize={11} />
          )}
          {hasRightAxis ? <YAxis yAxisId="right" orientation="right" domain={["auto", "auto"]} width={40} fontSize={11} /> : null}
          {chart.thresholds.map((mark) => (
            <ReferenceArea
              key={`area-${mark.comparator}-${mark.value}`}
              yAxisId="left"
              {...bandBounds(mark)}
              fill={ALERT_COLOR}
              fillOpacity={0.07}
              ifOverflow="hidden"
            />
          ))}
          {chart.thresholds.map((mark) => (
            <ReferenceLine
              key={`line-${mark.comparator}-${mark.value}`}
              yAxisId="left"
              y={mark.value}
              stroke={ALERT_COLOR}
              strokeDasharray="4 4"
              ifOverflow="extendDomain"
              label={{ value: mark.label, position: "insideTopRight", fontSize: 10, fill: ALERT_COLOR }}
            />
          ))}
          <Tooltip
            content={(props) => <ChartTooltip active={props.active} payload={props.payload} series={chart.series} timeFormat={formats.tooltip} hasLanes={Boolean(chart.lanes)} />}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {chart.series.map((s) =>
            chart.kind === "scatter" ? (
              <Scatter key={s.key} dataKey={s.key} yAxisId={s.axis} name={s.unit ? `${s.label} (${s.unit})` : s.label} fill={s.color} isAnimationActive={false} />
            ) : (
              <Line
                key={s.key}
                type="linear"
                dataKey={s.key}
                yAxisId={s.axis}
                name={`${s.label} (${s.unit})`}
                stroke={s.color}
                strokeWidth={2}
                strokeDasharray={s.dashed ? "6 3" : undefined}
                dot={(props: DotProps) => <FlagDot {...props} />}
                activeDot={{ r: 5 }}
                connectNulls
                isAnimationActive={false}
              />
            ),
          )}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

// The out-of-range side of a threshold; the far edge lies beyond any plotted value and is clipped to the chart.
function bandBounds(mark: { comparator: string; value: number }): { y1: number; y2: number } {
  const far = Math.abs(mark.value) * 100 + 1_000;
  if (mark.comparator === "greater_than") return { y1: mark.value, y2: far };
  if (mark.comparator === "less_than") return { y1: -far, y2: mark.value };
  return { y1: mark.value, y2: mark.value };
}
