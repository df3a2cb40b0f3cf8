import type { Metadata } from "next";

import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { MarkCheckedButton } from "@/components/audit/mark-checked-button";
import { Pagination } from "@/components/data-table/pagination";
import { PageHeader } from "@/components/layout/page-header";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { requirePageAccess } from "@/lib/auth";
import { can } from "@/lib/permissions";
import { auditFilterOptions, auditListSchema, listAuditEvents, UNRECORDED_OUTCOME_FILTER } from "@/lib/queries/audit";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";

export const metadata: Metadata = { title: "Audit log" };

const BASE_PATH = "/admin/audit";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("audit.read");
  const raw = firstValues(await searchParams);
  const params = auditListSchema.parse({ dir: "desc", ...raw });
  const [page, options] = await Promise.all([listAuditEvents(params), auditFilterOptions()]);
  const sort = { current: { sort: params.sort, dir: params.dir }, basePath: BASE_PATH, params: raw };
  // Actions whose outcome was lost leave this list once someone has checked what they changed.
  const rowAction =
    params.outcome === UNRECORDED_OUTCOME_FILTER && can(session.role, "audit.review")
      ? { label: "Review", render: (row: { id: bigint; action: string }) => <MarkCheckedButton startedEventId={row.id.toString()} action={row.action} /> }
      : undefined;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Audit log"
        trail={[{ href: "/admin", label: "Admin" }]}
        description="Every sign-in, change and read of patient records, with who, when, from where and the outcome. Append-only: nobody can edit or delete an event."
      />
      <Card>
        <AuditFilters basePath={BASE_PATH} params={raw} staff={options.staff} actions={options.actions} />
        {page.rows.length === 0 ? (
          <EmptyState title="No audit events match" description="Widen the date range or clear a filter." />
        ) : (
          <AuditTable rows={page.rows} caption={`Audit events, page ${page.page}`} sort={sort} showDetails rowAction={rowAction} />
        )}
        <Pagination total={page.total} page={page.page} size={page.size} basePath={BASE_PATH} params={raw} />
      </Card>
    </div>
  );
}
