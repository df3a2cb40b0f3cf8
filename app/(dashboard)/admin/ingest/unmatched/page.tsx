import type { Metadata } from "next";

import { AssignUnmatchedDialog, type PatientChoice } from "@/components/admin/ingest/assign-unmatched-dialog";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableActionsHead, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { db } from "@/lib/db";
import { formatDateTime, VENDOR_LABELS } from "@/lib/format";
import { ACCOUNT_KEY_LABELS, DEVICE_KEY_LABELS, listUnmatchedGroups } from "@/lib/ingest/unmatched";
import { patientLabel } from "@/lib/patients/names";

export const metadata: Metadata = { title: "Unmatched readings" };

// Patients offered in the assign dialog (enrolled ones, by name).
const PATIENT_CHOICES = 2_000;

export default async function UnmatchedReadingsPage() {
  await requirePageAccess("ingest.replay");
  const [groups, patients] = await Promise.all([
    listUnmatchedGroups(),
    db.patient.findMany({
      where: { status: "enrolled" },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      take: PATIENT_CHOICES,
      select: { id: true, firstName: true, lastName: true, mrn: true },
    }),
  ]);
  const choices: PatientChoice[] = patients.map((p) => ({ id: p.id, label: patientLabel(p) }));
  return (
    <div className="flex flex-col gap-6">
      <div>
        <PageHeader
          title="Unmatched readings"
          trail={[
            { href: "/admin", label: "Admin" },
            { href: "/admin/ingest", label: "Ingest health" },
          ]}
          description="Readings Pulseboard could not attribute to a patient, grouped by the device and vendor account that sent them."
        />
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Unmatched groups</CardTitle>
          <CardDescription>
            Assigning moves the readings to the patient (no copies); registering the device makes its future readings attribute on their own.
          </CardDescription>
        </CardHeader>
        {groups.length === 0 ? (
          <EmptyState title="No unmatched readings" description="Every stored reading belongs to a patient." />
        ) : (
          <Table>
            <TableCaption>Unmatched reading groups, most recent first</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Vendor</TableHead>
                <TableHead>Device</TableHead>
                <TableHead>Vendor account</TableHead>
                <TableHead>Metrics</TableHead>
                <TableHead className="text-right">Readings</TableHead>
                <TableHead>Measured</TableHead>
                <TableActionsHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {groups.map((g) => {
                const title = `${VENDOR_LABELS[g.vendor]} ${DEVICE_KEY_LABELS[g.vendor]} ${g.deviceKey ?? "unknown"}`;
                return (
                  <TableRow key={`${g.vendor}:${g.deviceKey ?? ""}:${g.accountKey ?? ""}`}>
                    <TableCell>{VENDOR_LABELS[g.vendor]}</TableCell>
                    <TableCell>
                      <span className="text-muted-foreground text-xs">{DEVICE_KEY_LABELS[g.vendor]}</span>
                      <div className="font-mono text-xs break-all">{g.deviceKey ?? "—"}</div>
                    </TableCell>
                    <TableCell>
                      <span className="text-muted-foreground text-xs">{ACCOUNT_KEY_LABELS[g.vendor]}</span>
                      <div className="font-mono text-xs break-all">{g.accountKey ?? "—"}</div>
                    </TableCell>
                    <TableCell className="text-xs">{g.metrics.join(", ")}</TableCell>
                    <TableCell className="text-right tabular-nums">{g.readings}</TableCell>
                    <TableCell className="text-xs">
                      {formatDateTime(g.firstMeasuredAt)}
                      {g.lastMeasuredAt.getTime() !== g.firstMeasuredAt.getTime() ? ` – ${formatDateTime(g.lastMeasuredAt)}` : ""}
                    </TableCell>
                    <TableCell>
                      <AssignUnmatchedDialog
                        group={{ vendor: g.vendor, deviceKey: g.deviceKey, accountKey: g.accountKey, readings: g.readings, title }}
                        patients={choices}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}
