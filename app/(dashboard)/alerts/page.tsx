import type { Metadata } from "next";

import { AlertActions } from "@/components/alerts/alert-actions";
import { BulkAcknowledgeForm } from "@/components/alerts/bulk-acknowledge";
import { AlertStatusBadge } from "@/components/alerts/alert-status-badge";
import { SeverityBadge } from "@/components/alerts/severity-badge";
import { BULK_ALERTS_FORM } from "@/components/data-table/bulk-forms";
import { FilterBar } from "@/components/data-table/filter-bar";
import { RowCheckbox } from "@/components/data-table/row-checkbox";
import { SelectAllOnPage } from "@/components/data-table/row-selection";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { PageHeader } from "@/components/layout/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { listAssignableStaff } from "@/lib/alerts/workflow";
import { requirePageAccess } from "@/lib/auth";
import { formatRelative } from "@/lib/format";
import { listName } from "@/lib/patients/names";
import { alertWorklistSchema, listAlertWorklist, openAlertCounts } from "@/lib/queries/alerts";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { can } from "@/lib/permissions";
import { formatZonedDateTime } from "@/lib/time/zone";

export const metadata: Metadata = { title: "Alerts" };

const BASE_PATH = "/alerts";
const SEVERITY_ORDER = ["critical", "high", "medium", "low"] as const;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("alert.read");
  const raw = firstValues(await searchParams);
  // Most severe first by default; within a severity the oldest waits longest, so it comes first.
  const params = alertWorklistSchema.parse({ dir: "desc", ...raw });
  const canManage = can(session.role, "alert.manage");
  const [page, counts, assignees] = await Promise.all([listAlertWorklist(params, session.userId), openAlertCounts(), canManage ? listAssignableStaff() : Promise.resolve([])]);
  const current = { sort: params.sort, dir: params.dir };
  // Open alerts can be ticked and acknowledged together.
  const tickable = canManage && page.rows.some((a) => a.status === "open");
  const now = new Date();
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Alerts"
        description="Out-of-range readings and patients who stopped measuring, most severe and longest waiting first."
        actions={
          <Link href="/alerts/rules" className="text-sm text-primary hover:underline">
            Program alert rules
          </Link>
        }
      />
      <ul aria-label="Unresolved alerts by severity" className="flex flex-wrap gap-2">
        {SEVERITY_ORDER.map((severity) => (
          <li key={severity}>
            <Link href={`${BASE_PATH}?severity=${severity}`} className="flex items-center gap-2 rounded-md border bg-card px-3 py-1.5 text-sm hover:bg-accent">
              <SeverityBadge severity={severity} />
              <span className="tabular-nums">{counts[severity] ?? 0} unresolved</span>
            </Link>
          </li>
        ))}
      </ul>
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="Patient, MRN or message"
          filters={[
            { name: "status", label: "Status", options: [{ value: "open", label: "Open" }, { value: "acknowledged", label: "Acknowledged" }, { value: "resolved", label: "Resolved" }] },
            { name: "severity", label: "Severity", options: SEVERITY_ORDER.map((s) => ({ value: s, label: s[0]?.toUpperCase() + s.slice(1) })) },
            { name: "assignee", label: "Assigned", options: [{ value: "me", label: "To me" }, { value: "unassigned", label: "Unassigned" }] },
            { name: "patients", label: "Patients", options: [{ value: "mine", label: "My patients (care manager)" }] },
          ]}
        />
        {tickable ? <BulkAcknowledgeForm /> : null}
        {page.rows.length === 0 ? (
          <EmptyState title={params.status === "resolved" ? "No resolved alerts match" : "No alerts need attention"} description="New out-of-range readings and missed measurements will appear here." />
        ) : (
          <Table>
            <TableCaption>
              {params.status === "active" ? "Unresolved alerts" : `${params.status[0]?.toUpperCase()}${params.status.slice(1)} alerts`}, page {page.page}
            </TableCaption>
            <TableHeader>
              <TableRow>
                {tickable ? (
                  <TableHead className="w-8">
                    <SelectAllOnPage form={BULK_ALERTS_FORM} label="Select every open alert on this page" />
                  </TableHead>
                ) : null}
                <SortHeader label="Severity" column="severity" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Patient</TableHead>
                <TableHead>What happened</TableHead>
                <SortHeader label="Waiting" column="createdAt" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Status</TableHead>
                <TableHead>{canManage ? "Assign and act" : "Assigned to"}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((a) => {
                const patientName = listName(a.patient);
                const context = `${patientName}: ${a.message}`;
                return (
                  <TableRow key={a.id}>
                    {tickable ? (
                      <TableCell>{a.status === "open" ? <RowCheckbox form={BULK_ALERTS_FORM} name="alertIds" value={a.id} label={`Select ${context}`} /> : null}</TableCell>
                    ) : null}
                    <TableCell>
                      <SeverityBadge severity={a.severity} />
                    </TableCell>
                    <TableCell>
                      <Link href={`/patients/${a.patient.id}`} className="font-medium hover:underline">
                        {patientName}
                      </Link>
                      <div className="font-mono text-xs text-muted-foreground">{a.patient.mrn}</div>
                    </TableCell>
                    <TableCell className="max-w-md">
                      <div>{a.message}</div>
                      {a.reading ? <div className="text-xs text-muted-foreground">Measured {formatZonedDateTime(a.reading.measuredAt, a.patient.timeZone)}</div> : null}
                      <Link href={`/patients/${a.patient.id}/vitals`} className="text-xs text-primary hover:underline">
                        Vitals<span className="sr-only"> for {patientName}</span>
                      </Link>
                      {a.status === "resolved" && a.resolutionNote ? <div className="mt-1 text-xs">Note: {a.resolutionNote}</div> : null}
                    </TableCell>
                    <TableCell className="whitespace-nowrap">
                      <time dateTime={a.createdAt.toISOString()} title={formatZonedDateTime(a.createdAt, a.patient.timeZone)}>
                        {formatRelative(a.createdAt, now)}
                      </time>
                    </TableCell>
                    <TableCell>
                      <AlertStatusBadge status={a.status} />
                    </TableCell>
                    <TableCell>
                      {canManage && a.status !== "resolved" ? (
                        <AlertActions alertId={a.id} status={a.status} assignedToId={a.assignedToId} assignees={assignees} context={context} />
                      ) : (
                        <span className="text-sm text-muted-foreground">{a.assignedTo?.name ?? "Unassigned"}</span>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
        <Pagination total={page.total} page={page.page} size={page.size} basePath={BASE_PATH} params={raw} />
      </Card>
    </div>
  );
}
