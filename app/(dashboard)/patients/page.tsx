import type { Metadata } from "next";

import { FilterBar } from "@/components/data-table/filter-bar";
import { RowCheckbox } from "@/components/data-table/row-checkbox";
import { SelectAllOnPage } from "@/components/data-table/row-selection";
import { PageHeader } from "@/components/layout/page-header";
import { AdherenceSummary } from "@/components/patients/adherence-summary";
import { BulkCareManagerForm } from "@/components/patients/bulk-care-manager";
import { BULK_CARE_MANAGER_FORM } from "@/components/data-table/bulk-forms";
import { CareBillingBadges } from "@/components/patients/care-billing-badges";
import { Pagination } from "@/components/data-table/pagination";
import { SortHeader } from "@/components/data-table/sort-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Link } from "@/components/ui/link";
import { currentPeriodAdherence } from "@/lib/adherence/billing-period";
import { currentMonth } from "@/lib/adherence/monthly-report";
import { careTimeBilling } from "@/lib/care-time/schemas";
import { careManagerName, careManagerOption, listCareManagerOptions } from "@/lib/patients/care-managers";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { formatDate, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { can } from "@/lib/permissions";
import { LIFECYCLE_STATES } from "@/lib/queries/devices";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { listPatients, patientListSchema, withViewer, type PatientRow } from "@/lib/queries/patients";

export const metadata: Metadata = { title: "Patients" };

const BASE_PATH = "/patients";

export default async function PatientsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("patient.read");
  const raw = firstValues(await searchParams);
  const params = patientListSchema.parse(raw);
  const [page, managers] = await Promise.all([listPatients(withViewer(params, session.userId)), listCareManagerOptions({ managingPatients: true })]);
  // The filter also offers deactivated staff who still manage patients; only active staff can be assigned.
  const careManagers = managers.map(careManagerOption);
  const assignable = managers.filter((manager) => manager.isActive).map(careManagerOption);
  // One query for the whole page, not one per patient.
  const adherence = await currentPeriodAdherence(page.rows.filter((p) => p.status === "enrolled").map((p) => p.id));
  const current = { sort: params.sort, dir: params.dir };
  const canAssign = can(session.role, "patient.write");
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Patients"
        description="Everyone enrolled in remote monitoring, with their care manager, devices, open alerts, days measured this period and care time this month."
        actions={
          <div className="flex flex-wrap items-end gap-3">
            <form action="/api/reports/adherence" method="get" className="flex items-end gap-2" aria-label="Monthly adherence report">
              <div className="flex flex-col gap-1">
                <Label htmlFor="report-month">Adherence report month</Label>
                <Input id="report-month" name="month" type="month" defaultValue={currentMonth()} required className="w-44" />
              </div>
              <Button type="submit" variant="outline">
                Download CSV
              </Button>
            </form>
            {can(session.role, "patient.write") ? (
              <Button asChild>
                <Link href="/patients/new">Enrol patient</Link>
              </Button>
            ) : null}
          </div>
        }
      />
      <Card>
        <FilterBar
          basePath={BASE_PATH}
          params={raw}
          searchLabel="Name, MRN, phone or IMEI"
          filters={[
            { name: "status", label: "Program status", options: [{ value: "enrolled", label: "Enrolled" }, { value: "offboarded", label: "Offboarded" }] },
            { name: "vendor", label: "Vendor", options: Object.entries(VENDOR_LABELS).map(([value, label]) => ({ value, label })) },
            { name: "lifecycle", label: "Device status", options: LIFECYCLE_STATES.map((s) => ({ value: s, label: s.replace("_", " ") })) },
            { name: "alerts", label: "Open alerts", options: [{ value: "open", label: "Has open alerts" }, { value: "none", label: "No open alerts" }] },
            { name: "care", label: "Care time this month", options: [{ value: "short", label: "Enrolled, 99457 not met" }, { value: "met", label: "99457 met" }] },
            { name: "manager", label: "Care manager", options: [{ value: "me", label: "My patients" }, { value: "none", label: "No care manager" }, ...careManagers] },
          ]}
        >
          <Button asChild variant="ghost">
            <Link href={BASE_PATH}>Clear</Link>
          </Button>
        </FilterBar>
        {canAssign && page.rows.length > 0 ? <BulkCareManagerForm careManagers={assignable} /> : null}
        {page.rows.length === 0 ? (
          <EmptyState title="No patients match" description={raw.q || raw.status || raw.vendor || raw.lifecycle || raw.alerts || raw.care || raw.manager ? "Try a different search or clear the filters." : "Enrolled patients will appear here."} />
        ) : (
          <Table>
            <TableCaption>Patients, page {page.page}</TableCaption>
            <TableHeader>
              <TableRow>
                {canAssign ? (
                  <TableHead className="w-8">
                    <SelectAllOnPage form={BULK_CARE_MANAGER_FORM} label="Select every patient on this page" />
                  </TableHead>
                ) : null}
                <SortHeader label="Name" column="name" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="MRN" column="mrn" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="Status" column="status" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Care manager</TableHead>
                <TableHead>Devices</TableHead>
                <SortHeader label="Last reading" column="lastReadingAt" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="Open alerts" column="openAlerts" current={current} basePath={BASE_PATH} params={raw} />
                <TableHead>Days measured (30-day period)</TableHead>
                <SortHeader label="Care this month" column="careMinutes" current={current} basePath={BASE_PATH} params={raw} />
                <SortHeader label="Enrolled" column="enrolledAt" current={current} basePath={BASE_PATH} params={raw} />
              </TableRow>
            </TableHeader>
            <TableBody>
              {page.rows.map((p) => (
                <TableRow key={p.id}>
                  {canAssign ? (
                    <TableCell>
                      <RowCheckbox form={BULK_CARE_MANAGER_FORM} name="patientIds" value={p.id} label={`Select ${p.name}`} />
                    </TableCell>
                  ) : null}
                  <TableCell className="font-medium">
                    <Link href={`/patients/${p.id}`} className="hover:underline">
                      {p.name}
                    </Link>
                  </TableCell>
                  <TableCell className="font-mono text-xs whitespace-nowrap">{p.mrn}</TableCell>
                  <TableCell>
                    <Badge tone={p.status === "enrolled" ? "success" : "neutral"}>{p.status === "enrolled" ? "Enrolled" : "Offboarded"}</Badge>
                  </TableCell>
                  <TableCell>{p.careManager ? careManagerName(p.careManager) : <span className="text-muted-foreground">None</span>}</TableCell>
                  <TableCell>
                    <DeviceSummary patient={p} />
                  </TableCell>
                  <TableCell>{formatRelative(p.lastReadingAt)}</TableCell>
                  <TableCell>{p.openAlerts > 0 ? <Badge tone="danger">{p.openAlerts} open</Badge> : <span className="text-muted-foreground">None</span>}</TableCell>
                  <TableCell>
                    <AdherenceSummary adherence={adherence.get(p.id)} />
                  </TableCell>
                  <TableCell>
                    <CareThisMonth patient={p} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap">{formatDate(p.enrolledAt)}</TableCell>
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

// Minutes logged this month in the patient's calendar, with what they support; nothing to chase once offboarded.
function CareThisMonth({ patient }: { patient: PatientRow }) {
  if (patient.status !== "enrolled" && patient.careMinutes === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="tabular-nums">{patient.careMinutes} min</span>
      <CareBillingBadges billing={careTimeBilling(patient.careMinutes, patient.careLiveCall)} />
    </span>
  );
}

// "2 · Tenovi, Validic": how many devices the patient has and whose; a dash for none.
function DeviceSummary({ patient }: { patient: PatientRow }) {
  if (patient.deviceCount === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <span>
      <span className="tabular-nums">{patient.deviceCount}</span> · {patient.vendors.map((v) => VENDOR_LABELS[v] ?? v).join(", ")}
    </span>
  );
}
