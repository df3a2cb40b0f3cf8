import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { SeverityBadge } from "@/components/alerts/severity-badge";
import { PatientDevicesCard } from "@/components/devices/patient-devices-card";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { db } from "@/lib/db";
import { formatDate, formatDateTime, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { formatReadingValue, METRIC_LABELS } from "@/lib/readings/format";

export const metadata: Metadata = { title: "Patient" };

export default async function PatientPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageAccess("patient.read");
  const { id } = await params;
  const patient = await db.patient.findUnique({
    where: { id },
    // Staff viewing the record need the date of birth and phone to identify the patient.
    omit: { dateOfBirth: false, phone: false },
    include: {
      alerts: { where: { status: { not: "resolved" } }, orderBy: [{ severity: "desc" }, { createdAt: "asc" }], take: 10 },
      readings: { where: { deletedAt: null }, orderBy: { measuredAt: "desc" }, take: 15 },
    },
  });
  if (!patient) notFound();
  await recordAudit({ actor: { id: session.userId, role: session.role }, action: "patient.view", outcome: "success", targetType: "patient", targetId: patient.id, patientId: patient.id });
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">
          {patient.firstName} {patient.lastName}
        </h1>
        <span className="font-mono text-sm text-muted-foreground">MRN {patient.mrn}</span>
        <Badge tone={patient.status === "enrolled" ? "success" : "neutral"}>{patient.status === "enrolled" ? "Enrolled" : "Offboarded"}</Badge>
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
              <dd>{patient.phone ?? "—"}</dd>
              <dt className="text-muted-foreground">Physician</dt>
              <dd>{patient.physician ?? "—"}</dd>
              <dt className="text-muted-foreground">Time zone</dt>
              <dd>{patient.timeZone}</dd>
              <dt className="text-muted-foreground">Address</dt>
              <dd>{[patient.addressLine1, patient.addressLine2, patient.city, patient.state, patient.zipCode].filter(Boolean).join(", ") || "—"}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>Open alerts</CardTitle>
          </CardHeader>
          {patient.alerts.length === 0 ? (
            <EmptyState title="No open alerts" description="Out-of-range readings and missed measurements for this patient appear here." />
          ) : (
            <ul className="divide-y">
              {patient.alerts.map((a) => (
                <li key={a.id} className="flex items-center gap-3 px-5 py-3 text-sm">
                  <SeverityBadge severity={a.severity} />
                  <span className="flex-1">{a.message}</span>
                  <span className="text-muted-foreground">{formatRelative(a.createdAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <PatientDevicesCard patientId={patient.id} />
      <Card>
        <CardHeader>
          <CardTitle>Recent readings</CardTitle>
        </CardHeader>
        {patient.readings.length === 0 ? (
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
              {patient.readings.map((r) => (
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
    </div>
  );
}
