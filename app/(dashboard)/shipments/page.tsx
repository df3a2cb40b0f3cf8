import type { Metadata } from "next";
import type { ReactNode } from "react";

import { FilterBar } from "@/components/data-table/filter-bar";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { withParams } from "@/components/data-table/url";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { deviceTypeName } from "@/lib/devices/catalog";
import { formatDate, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { listShipments, shipmentListSchema, shipmentStatuses, type ShipmentRow } from "@/lib/queries/shipments";
import {
  daysSince,
  describeException,
  EXCEPTION_LABELS,
  EXCEPTION_REASONS,
  shipmentExceptionSettings,
  type ShipmentExceptionSettings,
} from "@/lib/shipments/exceptions";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Shipments" };

const BASE_PATH = "/shipments";

export default async function ShipmentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAccess("shipment.read");
  const raw = firstValues(await searchParams);
  const isExceptions = raw.view === "exceptions";
  // The worklist starts with what has waited longest; the full list with the latest activity.
  const params = shipmentListSchema.parse({ ...(isExceptions ? { sort: "stateSince", dir: "asc" } : { dir: "desc" }), ...raw });
  const now = new Date();
  const settings = await shipmentExceptionSettings();
  const [page, statuses] = await Promise.all([listShipments(params, settings, now), shipmentStatuses()]);
  const counts = page.exceptionCounts;
  const exceptionTotal = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const current = { sort: params.sort, dir: params.dir };
  const isFiltered = Boolean(raw.q || raw.status || raw.vendor || raw.fulfiller || raw.reason);
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Shipments" description="Devices on their way to patients, shipped by the clinic or by the vendor, and the ones that need someone to act." />
      <nav aria-label="Shipment views" className="flex gap-1 border-b">
        <Tab href={BASE_PATH} isCurrent={!isExceptions}>
          All shipments
        </Tab>
        <Tab href={withParams(BASE_PATH, {}, { view: "exceptions" })} isCurrent={isExceptions}>
          Exceptions <Badge tone={exceptionTotal > 0 ? "danger" : "neutral"}>{exceptionTotal}</Badge>
        </Tab>
      </nav>
      {isExceptions ? <ReasonFilter counts={counts} active={params.reason} settings={settings} /> : null}
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="Patient, MRN, device, tracking or status"
          filters={[
            { name: "status", label: "Status", options: statuses.map((s) => ({ value: s, label: s })) },
            { name: "vendor", label: "Vendor", options: Object.entries(VENDOR_LABELS).map(([value, label]) => ({ value, label })) },
            {
              name: "fulfiller",
              label: "Shipped by",
              options: [
                { value: "clinic", label: "Clinic" },
                { value: "vendor", label: "Vendor" },
              ],
            },
          ]}
        >
          {isExceptions ? <input type="hidden" name="view" value="exceptions" /> : null}
          {params.reason ? <input type="hidden" name="reason" value={params.reason} /> : null}
          <Button asChild variant="ghost">
            <Link href={isExceptions ? withParams(BASE_PATH, {}, { view: "exceptions" }) : BASE_PATH}>Clear</Link>
          </Button>
        </FilterBar>
        {page.rows.length === 0 ? (
          <EmptyState
            title={isExceptions ? "No exceptions" : "No shipments"}
            description={
              isFiltered
                ? "Try a different search or clear the filters."
                : isExceptions
                  ? "Every shipment is moving as expected."
                  : "Shipments appear here when a coordinator ships a device."
            }
          />
        ) : (
          <Table>
            <TableCaption>{isExceptions ? `Shipment exceptions, page ${page.page}` : `Shipments, page ${page.page}`}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Patient</TableHead>
                <TableHead>Device</TableHead>
                {isExceptions ? <TableHead>Why</TableHead> : <TableHead>Shipped by</TableHead>}
                <SortHeader label="Status" column="status" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="In this state" column="stateSince" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Tracking</TableHead>
                <SortHeader label="Requested" column="createdAt" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="Last update" column="updatedAt" current={current} basePath={BASE_PATH} params={raw} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((s) => (
                <ShipmentTableRow key={s.id} shipment={s} isExceptions={isExceptions} settings={settings} now={now} />
              ))}
            </TableBody>
          </Table>
        )}
        <Pagination total={page.total} page={page.page} size={page.size} basePath={BASE_PATH} params={raw} />
      </Card>
    </div>
  );
}

function Tab({ href, isCurrent, children }: { href: string; isCurrent: boolean; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={isCurrent ? "page" : undefined}
      className={cn(
        "text-muted-foreground hover:text-foreground -mb-px inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium",
        isCurrent ? "border-primary text-foreground" : "border-transparent",
      )}
    >
      {children}
    </Link>
  );
}

function ReasonFilter({ counts, active, settings }: { counts: Record<string, number>; active?: string; settings: ShipmentExceptionSettings }) {
  const chip = (isActive: boolean) =>
    cn(
      "inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm",
      isActive ? "border-primary bg-primary/10 text-foreground" : "text-muted-foreground hover:bg-accent",
    );
  return (
    <div className="flex flex-col gap-2">
      <ul aria-label="Exception reasons" className="flex flex-wrap gap-2">
        <li>
          <Link href={withParams(BASE_PATH, {}, { view: "exceptions" })} className={chip(!active)} aria-current={!active ? "true" : undefined}>
            All reasons
          </Link>
        </li>
        {EXCEPTION_REASONS.map((reason) => (
          <li key={reason}>
            <Link
              href={withParams(BASE_PATH, {}, { view: "exceptions", reason })}
              className={chip(active === reason)}
              aria-current={active === reason ? "true" : undefined}
            >
              {EXCEPTION_LABELS[reason]} <span className="tabular-nums">({counts[reason] ?? 0})</span>
            </Link>
          </li>
        ))}
      </ul>
      <p className="text-muted-foreground text-xs">
        Stuck: in a shipping status for {settings.stuckAfterDays} days or more. No reading: delivered {settings.noReadingAfterDays} days ago or more without a
        reading since. Only enrolled patients&apos; shipments are listed.
      </p>
    </div>
  );
}

function ShipmentTableRow({
  shipment: s,
  isExceptions,
  settings,
  now,
}: {
  shipment: ShipmentRow;
  isExceptions: boolean;
  settings: ShipmentExceptionSettings;
  now: Date;
}) {
  const days = daysSince(s.stateSince, now);
  return (
    <TableRow>
      <TableCell>
        <Link href={`/patients/${s.patient.id}`} className="font-medium hover:underline">
          {s.patient.name}
        </Link>
        <div className="text-muted-foreground font-mono text-xs">{s.patient.mrn}</div>
      </TableCell>
      <TableCell>
        {s.device ? (
          <>
            <div>{deviceTypeName({ vendor: s.vendor, vendorType: s.device.vendorType })}</div>
            {s.device.identifier ? (
              <Link href={withParams("/devices", {}, { q: s.device.identifier })} className="text-primary font-mono text-xs hover:underline">
                {s.device.identifier}
              </Link>
            ) : null}
          </>
        ) : (
          <span className="text-muted-foreground">{s.isGatewayOnly ? "Gateway only" : "—"}</span>
        )}
      </TableCell>
      {isExceptions ? (
        <TableCell className="max-w-sm">
          {s.reason ? (
            <>
              <Badge tone={s.reason === "stuck" || s.reason === "no_first_reading" ? "warning" : "danger"}>{EXCEPTION_LABELS[s.reason]}</Badge>
              <p className="text-muted-foreground mt-1 text-xs">{describeException({ ...s, reason: s.reason }, settings, now)}</p>
            </>
          ) : null}
        </TableCell>
      ) : (
        <TableCell>{s.fulfiller === "clinic" ? "Clinic" : VENDOR_LABELS[s.vendor]}</TableCell>
      )}
      <TableCell>
        <Badge tone={s.reason ? "warning" : "info"}>{s.status}</Badge>
      </TableCell>
      <TableCell>
        <span className="tabular-nums">{days >= 1 ? `${days} day${days === 1 ? "" : "s"}` : "under a day"}</span>
        <div className="text-muted-foreground text-xs">since {formatDate(s.stateSince)}</div>
      </TableCell>
      <TableCell>
        {s.trackingLink ? (
          <a href={s.trackingLink} className="text-primary hover:underline" target="_blank" rel="noreferrer noopener">
            {s.carrier ?? "Track"}
          </a>
        ) : (
          "—"
        )}
      </TableCell>
      <TableCell>{formatRelative(s.createdAt, now)}</TableCell>
      <TableCell>{formatRelative(s.updatedAt, now)}</TableCell>
    </TableRow>
  );
}
