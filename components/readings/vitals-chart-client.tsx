"use client";

import dynamic from "next/dynamic";

import { Skeleton } from "@/components/ui/skeleton";

// The vitals chart, drawn in the browser only: recharts measures its container there anyway, so rendering it on the
// server produced no chart, only work. The placeholder has the chart's size, so the page does not move when it draws.
export const VitalsChartClient = dynamic(() => import("@/components/readings/vitals-chart").then((m) => m.VitalsChartView), {
  ssr: false,
  loading: () => <Skeleton className="h-60 w-full" />,
});
