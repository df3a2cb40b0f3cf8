
import { Pagination } from "@/components/data-table/pagination";
import { withParams } from "@/components/data-table/url";
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { deviceTypeName } from "@/lib/devices/catalog";
import { VENDOR_LABELS } from "@/lib/format";
import type { Page } from "@/lib/queries/list-params";
import type { VitalsTableRow } from "@/lib/queries/vitals";
import { formatReadingValue, METRIC_LABELS } from "@/lib/readings/format";
import { isDeviceFlagged } from "@/lib/readings/metrics";
import { formatUtcOffset, formatZonedDateTime } from "@/lib/time/zone";
import { cn } from "@/lib/utils";

// The id of the table's card: its page links come back to it.
export const READINGS_TABLE_ID = "readings-table";

// Every reading in the range, a page at a time, newest first: the time on the patient's clock and the source's own
// UTC offset, value, device and vendor, and how it reached Pulseboard. Readings deleted at the vendor are listed
// only on request.
export function VitalsReadingsTable({
  table,
  timeZone,
  showDeleted,
  deletedCount,
  basePath,
  params,
}: {
  table: Page<VitalsTableRow>;
  timeZone: string;
  showDeleted: boolean;
  deletedCount: number;
  basePath: string;
  params: Record<string, string | undefined>;
}) {
  const { rows } = table;
  return (
    <Card id={READINGS_TABLE_ID}>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-2">
        <div>
          <CardTitle>Readings</CardTitle>
          <CardDescription>
            Times in {timeZone}. {table.total.toLocaleString("en-US")} in range.
          </CardDescription>
        </div>
        {showDeleted ? (
          <Link href={withParams(basePath, params, { deleted: undefined, page: undefined })} className="text-sm text-primary hover:underline">
            Hide deleted readings
          </Link>
        ) : (
          <Link href={withParams(basePath, params, { deleted: "show", page: undefined })} className="text-sm text-primary hover:underline">
            Show deleted readings ({deletedCount})
          </Link>
        )}
      </CardHeader>
      {/* Scrolls on its own, so it takes focus: keyboard users scroll it with the arrow keys. */}
      <div className="max-h-[80vh] overflow-auto" tabIndex={0} role="region" aria-label="Readings">
        <Table>
          <TableCaption>Readings in the selected range, newest first{showDeleted ? ", including readings deleted at the vendor" : ""}</TableCaption>
          <TableHeader className="sticky top-0 z-10">
            <TableRow>
              <TableHead>Measured</TableHead>
              <TableHead>Reading</TableHead>
              <TableHead>Device</TableHead>
              <TableHead>Arrived by</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => {
              const isDeleted = r.deletedAt !== null;
              return (
                <TableRow key={r.id.toString()} className={cn(isDeleted && "text-muted-foreground")}>
                  <TableCell className="align-top text-xs">
                    <div className="whitespace-nowrap">{formatZonedDateTime(r.measuredAt, timeZone)}</div>
                    <div className="text-muted-foreground">source {formatUtcOffset(r.utcOffsetSeconds)}</div>
                  </TableCell>
                  <TableCell className="align-top">
                    <div className="text-xs text-muted-foreground">{METRIC_LABELS[r.metric] ?? r.metric}</div>
                    <div className={cn("font-medium tabular-nums", isDeleted && "line-through", isDeviceFlagged(r.flags) && "text-destructive")}>{formatReadingValue(r)}</div>
                    {r.mealContext ? <div className="text-xs text-muted-foreground">Meal: {r.mealContext}</div> : null}
                    {r.origin !== "device" ? <div className="text-xs text-muted-foreground">Origin: {r.origin}</div> : null}
                    {isDeleted ? <Badge className="mt-1">Deleted at vendor</Badge> : null}
                  </TableCell>
                  <TableCell className="align-top text-xs">
                    <div>{r.device ? deviceTypeName({ vendor: r.vendor, vendorType: r.device.vendorType }) : "Unknown device"}</div>
                    <div className="text-muted-foreground">
                      {VENDOR_LABELS[r.vendor] ?? r.vendor}
                      {r.device?.imei ? ` · IMEI ${r.device.imei}` : ""}
                    </div>
                  </TableCell>
                  <TableCell className="align-top text-xs capitalize">{r.arrival}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
        {rows.length === 0 ? <p className="px-5 py-6 text-center text-sm text-muted-foreground">No readings in this range.</p> : null}
      </div>
      {table.total > table.size ? <Pagination total={table.total} page={table.page} size={table.size} basePath={basePath} params={params} anchor={READINGS_TABLE_ID} /> : null}
    </Card>
  );
}
