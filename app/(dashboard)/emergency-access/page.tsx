import type { Metadata } from "next";

import { EmergencyAccessForm } from "@/components/break-glass/emergency-access-form";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/components/ui/link";
import { requirePageAccess } from "@/lib/auth";
import { activeEmergencyGrants } from "@/lib/break-glass/grants";
import { BREAK_GLASS_MINUTES } from "@/lib/break-glass/schemas";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/format";
import { patientLabel } from "@/lib/patients/names";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { can } from "@/lib/permissions";

export const metadata: Metadata = { title: "Emergency access" };

export default async function EmergencyAccessPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("emergency.request");
  const { patient: prefillId } = firstValues(await searchParams);
  const grants = await activeEmergencyGrants(session.userId);
  const patients = await db.patient.findMany({
    where: { id: { in: [...grants.map((g) => g.patientId), ...(prefillId ? [prefillId] : [])] } },
    select: { id: true, firstName: true, lastName: true, mrn: true },
  });
  const label = (id: string) => {
    const p = patients.find((candidate) => candidate.id === id);
    return p ? patientLabel(p) : id;
  };
  const prefill = prefillId && patients.some((p) => p.id === prefillId) ? { id: prefillId, label: label(prefillId) } : undefined;
  return (
    <div className="flex flex-col gap-6">
      <div>
        <PageHeader
          title="Emergency access"
          description={`Break-glass access opens one patient's audit trail (who viewed or changed the record) for ${BREAK_GLASS_MINUTES} minutes when your role does not include it. Use it only when it cannot wait for an admin. Your request, your reason and every view are recorded and reviewed.`}
        />
        {can(session.role, "audit.read") ? (
          <p className="mt-2 text-sm">
            As an admin you can already read every audit trail in the <Link href="/admin/audit" className="text-primary underline">audit log</Link>.
          </p>
        ) : null}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Your active emergency access</CardTitle>
          <CardDescription>Each grant ends on its own; nothing to revoke.</CardDescription>
        </CardHeader>
        <CardContent>
          {grants.length === 0 ? (
            <p className="text-sm text-muted-foreground">None.</p>
          ) : (
            <ul className="flex flex-col gap-2 text-sm">
              {grants.map((g) => (
                <li key={g.patientId}>
                  <Link href={`/emergency-access/${g.patientId}`} className="font-medium text-primary hover:underline">
                    {label(g.patientId)}
                  </Link>{" "}
                  <span className="text-muted-foreground">until {formatDateTime(g.expiresAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Request emergency access</CardTitle>
        </CardHeader>
        <CardContent>
          <EmergencyAccessForm patient={prefill} />
        </CardContent>
      </Card>
    </div>
  );
}
