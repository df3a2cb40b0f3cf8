"use client";

import { useQuery } from "@tanstack/react-query";
import { Pause, Play } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";

import { SeverityBadge } from "@/components/alerts/severity-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { AppError } from "@/lib/errors";
import { formatRelative, VENDOR_LABELS } from "@/lib/format";
import type { FeedRow } from "@/lib/queries/feed";
import { readingKeys } from "@/lib/query-keys";
import { cn } from "@/lib/utils";

export type FeedFilters = { metric?: string; outOfRange?: "1" };

const CLOCK = new Intl.DateTimeFormat("en-US", { timeStyle: "medium" });

// How long a new row stays highlighted.
const NEW_ROW_MS = 10_000;

async function fetchFeed(filters: FeedFilters): Promise<{ rows: FeedRow[]; generatedAt: string }> {
  const query = new URLSearchParams();
  if (filters.metric) query.set("metric", filters.metric);
  if (filters.outOfRange) query.set("outOfRange", "1");
  const response = await fetch(`/api/readings/feed?${query.toString()}`, { cache: "no-store", headers: { Accept: "application/json" } });
  if (response.status === 401) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again to resume the feed.");
  if (!response.ok) throw new AppError("DATABASE_UNAVAILABLE", "The feed could not be refreshed; retrying.");
  return (await response.json()) as { rows: FeedRow[]; generatedAt: string };
}

// What a poll brought: new rows (how many out of range), and rows already shown that are out of range now. A reading
// is stored before the alert rules run on it, so a poll can see it a moment before its alert.
function announce(fresh: FeedRow[], nowOutOfRange: FeedRow[]): string {
  const outOfRange = fresh.filter((r) => r.isOutOfRange).length + nowOutOfRange.length;
  if (fresh.length === 0) return `${outOfRange} reading${outOfRange === 1 ? "" : "s"} now out of range`;
  const base = `${fresh.length} new reading${fresh.length === 1 ? "" : "s"}`;
  return outOfRange > 0 ? `${base}, ${outOfRange} out of range` : base;
}

// The clinic-wide live feed: newest readings first, polling the feed route every few seconds without reloading.
// New rows are highlighted and announced politely to screen readers; out-of-range rows are marked in words and
// colour. Live updates can be paused (WCAG 2.2.2). Filters live in the URL so a view can be shared.
export function LiveReadingsFeed({ initial, filters: initialFilters, metricOptions, pollMs }: { initial: { rows: FeedRow[]; generatedAt: string }; filters: FeedFilters; metricOptions: { value: string; label: string }[]; pollMs: number }) {
  const router = useRouter();
  const pathname = usePathname();
  const metricId = useId();
  const [filters, setFilters] = useState<FeedFilters>(initialFilters);
  const [isPaused, setIsPaused] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [freshIds, setFreshIds] = useState<Set<string>>(new Set());
  const seen = useRef<{ key: string; ids: Set<string>; outOfRangeIds: Set<string> } | null>(null);
  const isInitialView = filters.metric === initialFilters.metric && filters.outOfRange === initialFilters.outOfRange;
  const feed = useQuery({
    queryKey: readingKeys.feed({ metric: filters.metric, outOfRange: filters.outOfRange }),
    queryFn: () => fetchFeed(filters),
    initialData: isInitialView ? initial : undefined,
    initialDataUpdatedAt: isInitialView ? Date.parse(initial.generatedAt) : undefined,
    refetchInterval: isPaused ? false : pollMs,
    staleTime: 0,
    retry: (count, error) => !(error instanceof AppError && error.code === "UNAUTHENTICATED") && count < 3,
  });
  const rows = feed.data?.rows;

  // Rows not seen before in this view are new: highlight them and announce how many (not on a filter change), and
  // announce rows already shown that have become out of range since.
  useEffect(() => {
    if (!rows) return;
    const key = `${filters.metric ?? ""}|${filters.outOfRange ?? ""}`;
    const previous = seen.current;
    seen.current = { key, ids: new Set(rows.map((r) => r.id)), outOfRangeIds: new Set(rows.filter((r) => r.isOutOfRange).map((r) => r.id)) };
    if (!previous || previous.key !== key) return;
    const fresh = rows.filter((r) => !previous.ids.has(r.id));
    const nowOutOfRange = rows.filter((r) => r.isOutOfRange && previous.ids.has(r.id) && !previous.outOfRangeIds.has(r.id));
    if (fresh.length === 0 && nowOutOfRange.length === 0) return;
    setAnnouncement(announce(fresh, nowOutOfRange));
    if (fresh.length === 0) return;
    setFreshIds(new Set(fresh.map((r) => r.id)));
    const timer = setTimeout(() => setFreshIds(new Set()), NEW_ROW_MS);
    return () => clearTimeout(timer);
  }, [rows, filters.metric, filters.outOfRange]);

  function applyFilters(next: FeedFilters) {
    setFilters(next);
    const query = new URLSearchParams();
    if (next.metric) query.set("metric", next.metric);
    if (next.outOfRange) query.set("outOfRange", "1");
    router.replace(query.size > 0 ? `${pathname}?${query.toString()}` : pathname, { scroll: false });
  }

  // Ages are measured from when the data was fetched, so rendering stays pure.
  const now = new Date(feed.dataUpdatedAt || Date.parse(initial.generatedAt));
  return (
    <div className="flex flex-col">
      <div className="flex flex-wrap items-end gap-4 border-b px-3 py-3">
        <div className="flex flex-col gap-1.5">
          <Label htmlFor={metricId}>Metric</Label>
          <select
            id={metricId}
            value={filters.metric ?? ""}
            onChange={(e) => applyFilters({ ...filters, metric: e.target.value || undefined })}
            className="h-9 rounded-md border bg-card px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <option value="">All metrics</option>
            {metricOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <label className="flex h-9 items-center gap-2 text-sm font-medium">
          <input type="checkbox" className="size-4" checked={filters.outOfRange === "1"} onChange={(e) => applyFilters({ ...filters, outOfRange: e.target.checked ? "1" : undefined })} />
          Out-of-range only
        </label>
        <Button variant="outline" size="sm" className="h-9" aria-pressed={isPaused} onClick={() => setIsPaused((p) => !p)}>
          {isPaused ? <Play aria-hidden /> : <Pause aria-hidden />}
          {isPaused ? "Resume live updates" : "Pause live updates"}
        </Button>
        {/* Not a live region: it changes on every poll. Errors get their own status message below. The clock is
            in the viewer's zone, which the server cannot know, hence suppressHydrationWarning. */}
        <p className="ml-auto text-xs text-muted-foreground" suppressHydrationWarning>{isPaused ? "Paused" : `Live · checked ${CLOCK.format(now)}`}</p>
      </div>
      <p aria-live="polite" aria-atomic="true" className="sr-only">
        {announcement}
      </p>
      {feed.error ? (
        <p role="status" className="border-b bg-destructive/5 px-3 py-2 text-sm text-destructive">
          {feed.error.message}
        </p>
      ) : null}
      {!rows ? (
        <p className="px-5 py-10 text-center text-sm text-muted-foreground">Loading readings…</p>
      ) : rows.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-muted-foreground">No readings match. New readings appear here seconds after they arrive.</p>
      ) : (
        <Table>
          <TableCaption>Newest readings first{filters.outOfRange ? ", out of range only" : ""}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Measured</TableHead>
              <TableHead>Patient</TableHead>
              <TableHead>Metric</TableHead>
              <TableHead>Value</TableHead>
              <TableHead>Range</TableHead>
              <TableHead>Vendor</TableHead>
              <TableHead>Arrived by</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.id} data-reading-id={r.id} className={cn(r.isOutOfRange && "border-l-4 border-l-destructive bg-destructive/5", freshIds.has(r.id) && "bg-primary/10")}>
                <TableCell className="whitespace-nowrap text-xs">
                  <div>{r.measuredText}</div>
                  <div className="text-muted-foreground">{formatRelative(new Date(r.measuredAt), now)}</div>
                </TableCell>
                <TableCell>
                  {r.patient ? (
                    <Link href={`/patients/${r.patient.id}/vitals`} className="hover:underline">
                      {r.patient.name}
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">Unmatched</span>
                  )}
                  {freshIds.has(r.id) ? (
                    <Badge tone="info" className="ml-2">
                      New
                    </Badge>
                  ) : null}
                </TableCell>
                <TableCell>{r.metricLabel}</TableCell>
                <TableCell className={cn("font-medium tabular-nums", r.isOutOfRange && "text-destructive")}>{r.valueText}</TableCell>
                <TableCell>
                  {r.isOutOfRange ? (
                    <span className="inline-flex items-center gap-1">
                      <Badge tone="danger">Out of range</Badge>
                      {r.alertSeverity ? <SeverityBadge severity={r.alertSeverity} /> : null}
                    </span>
                  ) : (
                    <span className="text-xs text-muted-foreground">In range</span>
                  )}
                </TableCell>
                <TableCell>{VENDOR_LABELS[r.vendor] ?? r.vendor}</TableCell>
                <TableCell className="capitalize">{r.arrival}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
