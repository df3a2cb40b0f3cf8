import type { Metadata } from "next";
import Link from "next/link";

import { FilterBar } from "@/components/data-table/filter-bar";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { formatRelative, VENDOR_LABELS } from "@/lib/format";
import { listShipments, shipmentListSchema } from "@/lib/queries/activity";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";

export const metadata: Metadata = { title: "Shipments" };

const BASE_PATH = "/shipments";

export default async function ShipmentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAccess("shipment.read");
  const raw = firstValues(await searchParams);
  const params = shipmentListSchema.parse({ dir: "desc", ...raw });
  const page = await listShipments(params);
  const current = { sort: params.sort, dir: params.dir };
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Shipments</h1>
        <p className="text-sm text-muted-foreground">Devices on their way to patients, shipped by the clinic or by the vendor.</p>
      </div>
      <Card>
        <FilterBar basePath={BASE_PATH} params={raw} searchLabel="Status or patient" filters={[]} />
        {page.rows.length === 0 ? (
          <EmptyState title="No shipments" description="Shipments appear here when a coordinator ships a device." />
        ) : (
          <Table>
            <TableCaption>Shipments, page {page.page}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Patient</TableHead>
                <TableHead>Device</TableHead>
                <TableHead>Shipped by</TableHead>
                <SortHeader label="Status" column="status" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Tracking</TableHead>
                <SortHeader label="Requested" column="createdAt" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="Last update" column="updatedAt" current={current} basePath={BASE_PATH} params={raw} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>
                    <Link href={`/patients/${s.patient.id}`} className="hover:underline">
                      {s.patient.lastName}, {s.patient.firstName}
                    </Link>
                  </TableCell>
                  <TableCell>{s.device?.vendorType ?? "Gateway"}</TableCell>
                  <TableCell>{s.fulfiller === "clinic" ? "Clinic" : VENDOR_LABELS[s.vendor]}</TableCell>
                  <TableCell>
                    <Badge tone="info">{s.status}</Badge>
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
                  <TableCell>{formatRelative(s.createdAt)}</TableCell>
                  <TableCell>{formatRelative(s.updatedAt)}</TableCell>
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
