import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { AlertActions } from "@/components/alerts/alert-actions";
import { AlertHistory } from "@/components/alerts/alert-history";
import { AlertRulesTable } from "@/components/alerts/alert-rules-table";
import { AlertStatusBadge } from "@/components/alerts/alert-status-badge";
import { RuleFormDialog } from "@/components/alerts/rule-form-dialog";
import { SeverityBadge } from "@/components/alerts/severity-badge";
import { PatientDevicesCard } from "@/components/devices/patient-devices-card";
import { AdherenceSummary } from "@/components/patients/adherence-summary";
import { CareTimeCard } from "@/components/patients/care-time-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { currentPeriodAdherence, type PeriodAdherence } from "@/lib/adherence/billing-period";
import { loadPatientRules } from "@/lib/alerts/patient-rules";
import { listAssignableStaff } from "@/lib/alerts/workflow";
import { recordAccess } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { dateIn, monthCareTime } from "@/lib/care-time/entries";
import { careMonthToShow } from "@/lib/care-time/schemas";
import { formatDate, formatDateTime, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { careManagerName } from "@/lib/patients/care-managers";
import { fullName } from "@/lib/patients/names";
import { formatUsPhone } from "@/lib/patients/schemas";
import { can } from "@/lib/permissions";
import { patientAlerts } from "@/lib/queries/alerts";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { loadPatientRecord } from "@/lib/queries/patient-record";
import { formatReadingValue, METRIC_LABELS } from "@/lib/readings/format";

export const metadata: Metadata = { title: "Patient" };

export default async function PatientPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("patient.read");
  const { id } = await params;
  const { careMonth } = firstValues(await searchParams);
  const record = await loadPatientRecord(id);
  if (!record) notFound();
  const { patient, readings } = record;
  const canManageAlerts = can(session.role, "alert.manage");
  const today = dateIn(patient.timeZone);
  const [alerts, rules, adherence, assignees, careTime] = await Promise.all([
    patientAlerts(patient.id),
    loadPatientRules(patient.id),
    patient.status === "enrolled" ? currentPeriodAdherence([patient.id]) : Promise.resolve(new Map<string, PeriodAdherence>()),
    canManageAlerts ? listAssignableStaff() : Promise.resolve([]),
    monthCareTime(patient.id, careMonthToShow(careMonth, today.slice(0, 7))),
  ]);
  await recordAccess(session, patient.id, "patient");
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{fullName(patient)}</h1>
        <span className="font-mono text-sm text-muted-foreground">MRN {patient.mrn}</span>
        <Badge tone={patient.status === "enrolled" ? "success" : "neutral"}>{patient.status === "enrolled" ? "Enrolled" : "Offboarded"}</Badge>
        <div className="ml-auto flex gap-2">
          {can(session.role, "patient.write") ? (
            <Button asChild variant="outline" size="sm">
              <Link href={`/patients/${patient.id}/edit`}>Edit</Link>
            </Button>
          ) : null}
          <Button asChild size="sm">
            <Link href={`/patients/${patient.id}/vitals`}>View vitals and charts</Link>
          </Button>
        </div>
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>Identity</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Date of birth</dt>
              <dd>{formatDate(patient.dateOfBirth, "UTC")}</dd>
              <dt className="text-muted-foreground">Phone</dt>
              <dd>{patient.phone ? formatUsPhone(patient.phone) : "—"}</dd>
              <dt className="text-muted-foreground">Email</dt>
              <dd>{patient.email ?? "—"}</dd>
              <dt className="text-muted-foreground">Text messages</dt>
              <dd>{patient.smsConsent ? "Consented" : "No consent"}</dd>
              <dt className="text-muted-foreground">Physician</dt>
              <dd>{patient.physician ?? "—"}</dd>
              <dt className="text-muted-foreground">Care manager</dt>
              <dd>{patient.careManager ? careManagerName(patient.careManager) : "None"}</dd>
              <dt className="text-muted-foreground">Time zone</dt>
              <dd>{patient.timeZone}</dd>
              <dt className="text-muted-foreground">Address</dt>
              <dd>{[patient.addressLine1, patient.addressLine2, patient.city, patient.state, patient.zipCode].filter(Boolean).join(", ") || "—"}</dd>
              <dt className="text-muted-foreground">Days measured</dt>
              <dd>{patient.status === "enrolled" ? <AdherenceSummary adherence={adherence.get(patient.id)} detailed /> : "Offboarded"}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Open alerts</CardTitle>
          </CardHeader>
          {alerts.open.length === 0 ? (
            <EmptyState title="No open alerts" description="Out-of-range readings and missed measurements for this patient appear here." />
          ) : (
            <ul className="divide-y" aria-label="Open alerts">
              {alerts.open.map((a) => (
                <li key={a.id} className="flex flex-col gap-2 px-5 py-3 text-sm">
                  <div className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={a.severity} />
                    <AlertStatusBadge status={a.status} />
                    <span className="flex-1">{a.message}</span>
                    <time dateTime={a.createdAt.toISOString()} className="text-muted-foreground">
                      {formatRelative(a.createdAt)}
                    </time>
                  </div>
                  {canManageAlerts && a.status !== "resolved" ? (
                    <AlertActions alertId={a.id} status={a.status} assignedToId={a.assignedToId} assignees={assignees} context={a.message} />
                  ) : (
                    <p className="text-xs text-muted-foreground">Assigned to {a.assignedToId ? (alerts.staffNames.get(a.assignedToId) ?? "a former staff member") : "nobody yet"}</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <PatientDevicesCard patient={patient} />
      <CareTimeCard
        careTime={careTime}
        patientId={patient.id}
        today={today}
        viewer={{ userId: session.userId, isAdmin: session.role === "admin", canLog: can(session.role, "care_time.log") && patient.status === "enrolled" }}
      />
      <Card>
        <CardHeader>
          <CardTitle>Recent readings</CardTitle>
        </CardHeader>
        {readings.length === 0 ? (
          <EmptyState title="No readings yet" description="The first reading appears here seconds after the device measures." />
        ) : (
          <Table>
            <TableCaption>Most recent readings</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Measured ({patient.timeZone})</TableHead>
                <TableHead>Metric</TableHead>
                <TableHead>Value</TableHead>
                <TableHead>Vendor</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {readings.map((r) => (
                <TableRow key={r.id.toString()}>
                  <TableCell>{formatDateTime(r.measuredAt, patient.timeZone)}</TableCell>
                  <TableCell>{METRIC_LABELS[r.metric] ?? r.metric}</TableCell>
                  <TableCell className="font-medium tabular-nums">{formatReadingValue(r)}</TableCell>
                  <TableCell>{VENDOR_LABELS[r.vendor]}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Alert history</CardTitle>
          <CardDescription>Resolved alerts, latest first, with who resolved them and their note.</CardDescription>
        </CardHeader>
        <AlertHistory alerts={alerts.history} staffNames={alerts.staffNames} timeZone={patient.timeZone} />
      </Card>
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <div>
            <CardTitle>Alert rules</CardTitle>
            <CardDescription>Program defaults apply unless this patient has their own rule for the same metric and comparator.</CardDescription>
          </div>
          {canManageAlerts && patient.status === "enrolled" ? <RuleFormDialog patientId={patient.id} title="Add rule for this patient" trigger={<Button variant="outline">Add rule</Button>} /> : null}
        </CardHeader>
        <AlertRulesTable rules={[...rules.effective, ...rules.inactive.map((r) => ({ ...r, source: "patient" as const, overrides: [] }))]} patientId={patient.id} canManage={canManageAlerts && patient.status === "enrolled"} caption="Alert rules for this patient" />
      </Card>
    </div>
  );
}
