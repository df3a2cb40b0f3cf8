import type { Metadata } from "next";
import Link from "next/link";

import { SeverityBadge } from "@/components/alerts/severity-badge";
import { FilterBar } from "@/components/data-table/filter-bar";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { formatRelative } from "@/lib/format";
import { alertListSchema, listAlerts } from "@/lib/queries/activity";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";

export const metadata: Metadata = { title: "Alerts" };

const BASE_PATH = "/alerts";

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePageAccess("alert.read");
  const raw = firstValues(await searchParams);
  const params = alertListSchema.parse(raw);
  const page = await listAlerts(params);
  const current = { sort: params.sort, dir: params.dir };
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="text-sm text-muted-foreground">Out-of-range readings and patients who stopped measuring, most severe first.</p>
      </div>
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="Search"
          filters={[{ name: "status", label: "Status", options: [{ value: "open", label: "Open" }, { value: "acknowledged", label: "Acknowledged" }, { value: "resolved", label: "Resolved" }] }]}
        />
        {page.rows.length === 0 ? (
          <EmptyState title="No alerts need attention" description="New out-of-range readings and missed measurements will appear here." />
        ) : (
          <Table>
            <TableCaption>Alerts, page {page.page}</TableCaption>
            <TableHeader>
              <TableRow>
                <SortHeader label="Severity" column="severity" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Patient</TableHead>
                <TableHead>What happened</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Assigned to</TableHead>
                <SortHeader label="Raised" column="createdAt" current={current} basePath={BASE_PATH} params={raw} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>
                    <SeverityBadge severity={a.severity} />
                  </TableCell>
                  <TableCell>
                    <Link href={`/patients/${a.patient.id}`} className="hover:underline">
                      {a.patient.lastName}, {a.patient.firstName}
                    </Link>
                  </TableCell>
                  <TableCell>{a.message}</TableCell>
                  <TableCell className="capitalize">{a.status}</TableCell>
                  <TableCell>{a.assignedTo?.name ?? <span className="text-muted-foreground">Unassigned</span>}</TableCell>
                  <TableCell>{formatRelative(a.createdAt)}</TableCell>
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
