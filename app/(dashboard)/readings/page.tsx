import type { Metadata } from "next";
import Link from "next/link";

import { FilterBar } from "@/components/data-table/filter-bar";
import { Pagination } from "@/components/data-table/pagination";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { formatDateTime, VENDOR_LABELS } from "@/lib/format";
import { listReadings, readingListSchema } from "@/lib/queries/activity";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { formatReadingValue, METRIC_LABELS } from "@/lib/readings/format";

export const metadata: Metadata = { title: "Readings" };

const BASE_PATH = "/readings";

export default async function ReadingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAccess("reading.read");
  const raw = firstValues(await searchParams);
  const params = readingListSchema.parse({ dir: "desc", ...raw });
  const page = await listReadings(params);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Readings</h1>
        <p className="text-sm text-muted-foreground">Every reading from every vendor, newest first.</p>
      </div>
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="Search"
          filters={[{ name: "metric", label: "Metric", options: Object.entries(METRIC_LABELS).map(([value, label]) => ({ value, label })) }]}
        />
        {page.rows.length === 0 ? (
          <EmptyState title="No readings yet" description="Readings appear here seconds after a device measures." />
        ) : (
          <Table>
            <TableCaption>Readings, page {page.page}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Measured</TableHead>
                <TableHead>Patient</TableHead>
                <TableHead>Metric</TableHead>
                <TableHead>Value</TableHead>
                <TableHead>Vendor</TableHead>
                <TableHead>Arrived by</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((r) => (
                <TableRow key={r.id.toString()}>
                  <TableCell>{formatDateTime(r.measuredAt)}</TableCell>
                  <TableCell>
                    {r.patient ? (
                      <Link href={`/patients/${r.patient.id}`} className="hover:underline">
                        {r.patient.lastName}, {r.patient.firstName}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">Unmatched</span>
                    )}
                  </TableCell>
                  <TableCell>{METRIC_LABELS[r.metric] ?? r.metric}</TableCell>
                  <TableCell className="font-medium tabular-nums">{formatReadingValue(r)}</TableCell>
                  <TableCell>{VENDOR_LABELS[r.vendor]}</TableCell>
                  <TableCell>{r.arrival}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Pagination total={page.total} isTotalCapped={page.isTotalCapped} page={page.page} size={page.size} basePath={BASE_PATH} params={raw} />
      </Card>
    </div>
  );
}
