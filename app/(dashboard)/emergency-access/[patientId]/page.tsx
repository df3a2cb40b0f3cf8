import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";

import { AuditTable } from "@/components/audit/audit-table";
import { Pagination } from "@/components/data-table/pagination";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { recordAccess } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { auditTrailAccess } from "@/lib/break-glass/grants";
import { db } from "@/lib/db";
import { formatDateTime } from "@/lib/format";
import { listName } from "@/lib/patients/names";
import { auditListSchema, listAuditEvents } from "@/lib/queries/audit";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";

export const metadata: Metadata = { title: "Patient audit trail" };

// One patient's audit trail, for admins (audit.read) and for staff holding an unexpired break-glass grant.
export default async function PatientAuditTrailPage({ params, searchParams }: { params: Promise<{ patientId: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("emergency.request");
  const { patientId } = await params;
  const access = await auditTrailAccess(session, patientId);
  if (!access) forbidden();
  const patient = await db.patient.findUnique({ where: { id: patientId }, select: { id: true, firstName: true, lastName: true, mrn: true } });
  if (!patient) notFound();
  await recordAccess(session, patient.id, "audit_trail", { via: access.via });
  const raw = firstValues(await searchParams);
  // Only paging and sorting come from the URL: the patient is fixed by the path and the grant.
  const list = auditListSchema.parse({ dir: "desc", page: raw.page, size: raw.size, sort: raw.sort, ...(raw.dir ? { dir: raw.dir } : {}), patientId: patient.id });
  const page = await listAuditEvents(list);
  const basePath = `/emergency-access/${patient.id}`;
  const sort = { current: { sort: list.sort, dir: list.dir }, basePath, params: raw };
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-semibold">
          Audit trail: {listName(patient)} <span className="font-mono text-sm text-muted-foreground">MRN {patient.mrn}</span>
        </h1>
        {access.via === "break_glass" ? (
          <p role="status" className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="danger">Break-glass</Badge>
            Emergency access until {formatDateTime(access.grant.expiresAt)}. This view is recorded.
          </p>
        ) : null}
      </div>
      <Card>
        {page.rows.length === 0 ? (
          <EmptyState title="No audit events for this patient" description="Views and changes of this record appear here." />
        ) : (
          <AuditTable rows={page.rows} caption={`Audit events for this patient, page ${page.page}`} sort={sort} showDetails={access.via === "role"} />
        )}
        <Pagination total={page.total} page={page.page} size={page.size} basePath={basePath} params={raw} />
      </Card>
    </div>
  );
}
