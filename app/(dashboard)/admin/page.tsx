import { ScrollText, TriangleAlert } from "lucide-react";
import type { Metadata } from "next";

import { ClinicSettingsForm } from "@/components/admin/clinic-settings-form";
import { CreateStaffDialog } from "@/components/admin/create-staff-dialog";
import { StaffRowControls } from "@/components/admin/staff-row-controls";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { isLockedOut } from "@/lib/auth/sign-in";
import { db } from "@/lib/db";
import { formatDateTime, formatRelative } from "@/lib/format";
import { countUnrecordedActions, UNRECORDED_OUTCOME_FILTER } from "@/lib/queries/audit";
import { readClinicSettings } from "@/lib/settings/clinic-settings";
import { integrationSummaries } from "@/lib/vendors/integration-summary";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const session = await requirePageAccess("staff.manage");
  const staff = await db.user.findMany({ orderBy: [{ isActive: "desc" }, { name: "asc" }], select: { id: true, name: true, email: true, role: true, isActive: true, lastSignInAt: true, lockedUntil: true, mustChangePassword: true, totpEnabledAt: true, _count: { select: { managedPatients: true } } } });
  const integrations = integrationSummaries();
  const [settings, unrecordedActions] = await Promise.all([readClinicSettings(), countUnrecordedActions()]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Admin"
        description="Staff accounts, clinic settings and vendor integrations."
        actions={
          <Button asChild variant="outline">
            <Link href="/admin/audit">
              <ScrollText aria-hidden /> Audit log
            </Link>
          </Button>
        }
      />
      {unrecordedActions > 0 ? <UnrecordedActionsNotice count={unrecordedActions} /> : null}
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <div>
            <CardTitle>Staff</CardTitle>
            <CardDescription>Changing a role, deactivating someone, resetting their password or turning off their two-step verification signs them out at once.</CardDescription>
          </div>
          <CreateStaffDialog />
        </CardHeader>
        <Table>
          <TableCaption>Staff accounts</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Email</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Two-step</TableHead>
              <TableHead>Last sign-in</TableHead>
              <TableHead>Care manager of</TableHead>
              <TableHead>Role and access</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {staff.map((u) => (
              <TableRow key={u.id}>
                <TableCell className="font-medium">{u.name}</TableCell>
                <TableCell>{u.email}</TableCell>
                <TableCell>
                  <StaffStatus isActive={u.isActive} lockedUntil={u.lockedUntil} mustChangePassword={u.mustChangePassword} />
                </TableCell>
                <TableCell>{u.totpEnabledAt ? <Badge tone="success">On</Badge> : <span className="text-muted-foreground">Off</span>}</TableCell>
                <TableCell>{formatRelative(u.lastSignInAt)}</TableCell>
                <TableCell>
                  <ManagedPatients userId={u.id} isActive={u.isActive} count={u._count.managedPatients} />
                </TableCell>
                <TableCell>
                  <StaffRowControls
                    userId={u.id}
                    name={u.name}
                    role={u.role}
                    isActive={u.isActive}
                    isSelf={u.id === session.userId}
                    hasTwoStep={u.totpEnabledAt !== null}
                    managedPatients={u._count.managedPatients}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Card>
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <div>
            <CardTitle>Ingest</CardTitle>
            <CardDescription>Deliveries per vendor, failed and quarantined payloads, reconciliation results and unmatched readings.</CardDescription>
          </div>
          <Button asChild variant="outline">
            <Link href="/admin/ingest">Ingest health</Link>
          </Button>
        </CardHeader>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Clinic settings</CardTitle>
          <CardDescription>Apply to every patient and device of the clinic.</CardDescription>
        </CardHeader>
        <ClinicSettingsForm settings={settings} />
      </Card>
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <div>
            <CardTitle>Vendor integrations</CardTitle>
            <CardDescription>A vendor without credentials runs against Pulseboard&apos;s built-in simulator. Secrets are shown masked.</CardDescription>
          </div>
          <Button asChild variant="outline">
            <Link href="/admin/simulation">Simulation</Link>
          </Button>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          {integrations.map((i) => (
            <div key={i.vendor} className="rounded-md border p-4">
              <div className="flex items-center justify-between">
                <h3 className="font-semibold">{i.label}</h3>
                <Badge tone={i.mode === "live" ? "success" : "warning"}>{i.mode === "live" ? "Live" : "Simulator"}</Badge>
              </div>
              <dl className="mt-3 flex flex-col gap-2 text-sm">
                {i.settings.map((s) => (
                  <div key={s.name}>
                    <dt className="text-xs text-muted-foreground">{s.name}</dt>
                    <dd className="font-mono text-xs break-all">{s.value}</dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}

// Actions whose outcome was never written (the server stopped or lost its database right after them): staff were
// told what happened, the trail was not, so someone should check each against the record it names.
function UnrecordedActionsNotice({ count }: { count: number }) {
  return (
    <div role="status" className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-warning/40 bg-warning/10 px-4 py-3 text-sm">
      <p className="flex items-center gap-2">
        <TriangleAlert aria-hidden className="size-4 shrink-0" />
        {count === 1 ? "One action has" : `${count} actions have`} no recorded outcome: the server stopped or lost its database before it could write one. Check what it changed.
      </p>
      <Button asChild variant="outline" size="sm">
        <Link href={`/admin/audit?outcome=${UNRECORDED_OUTCOME_FILTER}`}>Review in the audit log</Link>
      </Button>
    </div>
  );
}

// How many patients the staff member is care manager of, linked to that list; a deactivated one's are still theirs
// until they are given to someone else, so they are flagged.
function ManagedPatients({ userId, isActive, count }: { userId: string; isActive: boolean; count: number }) {
  if (count === 0) return <span className="text-muted-foreground">—</span>;
  const label = `${count} ${count === 1 ? "patient" : "patients"}`;
  return (
    <Link href={`/patients?manager=${userId}`} className="hover:underline">
      {isActive ? label : <Badge tone="warning">{label} to reassign</Badge>}
    </Link>
  );
}

// Active, deactivated, or locked out of sign-in after wrong passwords (until a reset, or the lock runs out); and
// whether they still have to replace a password an admin set.
function StaffStatus({ isActive, lockedUntil, mustChangePassword }: { isActive: boolean; lockedUntil: Date | null; mustChangePassword: boolean }) {
  if (!isActive) return <Badge>Deactivated</Badge>;
  if (isLockedOut({ lockedUntil })) {
    return (
      <span className="inline-flex flex-wrap items-center gap-1.5">
        <Badge tone="danger">Locked</Badge>
        <span className="text-xs text-muted-foreground">until {formatDateTime(lockedUntil)}</span>
      </span>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone="success">Active</Badge>
      {mustChangePassword ? <span className="text-xs text-muted-foreground">own password not chosen yet</span> : null}
    </span>
  );
}
