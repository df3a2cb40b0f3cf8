import type { Metadata } from "next";

import { FilterBar } from "@/components/data-table/filter-bar";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { LifecycleBadge } from "@/components/devices/lifecycle-badge";
import { PageHeader } from "@/components/layout/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { deviceTypeName } from "@/lib/devices/catalog";
import { formatRelative, VENDOR_LABELS } from "@/lib/format";
import { listName } from "@/lib/patients/names";
import { deviceListSchema, LIFECYCLE_STATES, listDevices } from "@/lib/queries/devices";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";

export const metadata: Metadata = { title: "Devices" };

const BASE_PATH = "/devices";

export default async function DevicesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAccess("device.read");
  const raw = firstValues(await searchParams);
  const params = deviceListSchema.parse(raw);
  const page = await listDevices(params);
  const current = { sort: params.sort, dir: params.dir };
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Devices" description="Every device at every vendor, where it is in its lifecycle and when it last measured." />
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="IMEI, gateway ID, device ID or patient"
          filters={[
            { name: "vendor", label: "Vendor", options: Object.entries(VENDOR_LABELS).map(([value, label]) => ({ value, label })) },
            { name: "lifecycle", label: "Lifecycle", options: LIFECYCLE_STATES.map((s) => ({ value: s, label: s.replace("_", " ") })) },
          ]}
        />
        {page.rows.length === 0 ? (
          <EmptyState title="No devices match" description="Devices appear here once a coordinator assigns or ships one." />
        ) : (
          <Table>
            <TableCaption>Devices, page {page.page}</TableCaption>
            <TableHeader>
              <TableRow>
                <SortHeader label="Vendor" column="vendor" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Type</TableHead>
                <TableHead>IMEI / gateway</TableHead>
                <TableHead>Patient</TableHead>
                <SortHeader label="Lifecycle" column="lifecycle" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Shipping</TableHead>
                <SortHeader label="Last reading" column="lastReadingAt" current={current} basePath={BASE_PATH} params={raw} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{VENDOR_LABELS[d.vendor]}</TableCell>
                  <TableCell>
                    <Link href={`/devices/${d.id}`} className="font-medium hover:underline">
                      {deviceTypeName(d)}
                    </Link>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{d.imei ?? d.gateway?.gatewayUuid ?? d.vendorDeviceId ?? "—"}</TableCell>
                  <TableCell>
                    {d.patient ? (
                      <Link href={`/patients/${d.patient.id}`} className="hover:underline">
                        {listName(d.patient)}
                      </Link>
                    ) : (
                      <span className="text-muted-foreground">Unassigned</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <LifecycleBadge lifecycle={d.lifecycle} vendorStatus={d.vendorStatus} />
                  </TableCell>
                  <TableCell>{d.shipments[0]?.status ?? "—"}</TableCell>
                  <TableCell>{formatRelative(d.lastReadingAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Pagination total={page.total} page={page.page} size={page.size} basePath={BASE_PATH} params={raw} />
      </Card>
    </div>
  );
}
