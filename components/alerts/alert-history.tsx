import { SeverityBadge } from "@/components/alerts/severity-badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { PatientAlert } from "@/lib/queries/alerts";
import { formatZonedDateTime } from "@/lib/time/zone";

// A patient's resolved alerts: what happened, when it was raised and resolved, by whom, and the note.
export function AlertHistory({ alerts, staffNames, timeZone }: { alerts: PatientAlert[]; staffNames: Map<string, string>; timeZone: string }) {
  if (alerts.length === 0) return <EmptyState title="No resolved alerts yet" description="Alerts move here, with their resolution note, once a clinician resolves them." />;
  return (
    <ol className="divide-y" aria-label="Resolved alerts">
      {alerts.map((a) => (
        <li key={a.id} className="flex flex-col gap-1 px-5 py-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={a.severity} />
            <span className="flex-1">{a.message}</span>
          </div>
          <p className="text-xs text-muted-foreground">
            Raised {formatZonedDateTime(a.createdAt, timeZone)}
            {a.resolvedAt ? ` · resolved ${formatZonedDateTime(a.resolvedAt, timeZone)}` : ""}
            {a.resolvedById ? ` by ${staffNames.get(a.resolvedById) ?? "a former staff member"}` : ""}
          </p>
          {a.resolutionNote ? <p className="rounded-md bg-muted px-3 py-2 text-sm">{a.resolutionNote}</p> : null}
        </li>
      ))}
    </ol>
  );
}
