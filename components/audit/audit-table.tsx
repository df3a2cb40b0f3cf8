
import type { ReactNode } from "react";

import { SortHeader } from "@/components/data-table/sort-header";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { BREAK_GLASS_ACTION } from "@/lib/break-glass/grants";
import { formatDateTime } from "@/lib/format";
import type { AuditRow } from "@/lib/queries/audit";

const OUTCOME_TONES: Record<string, BadgeTone> = { success: "success", denied: "danger", failure: "warning" };

type SortProps = { current: { sort: string; dir: "asc" | "desc" }; basePath: string; params: Record<string, string | undefined> };

function isViaBreakGlass(details: AuditRow["details"]): boolean {
  return typeof details === "object" && details !== null && !Array.isArray(details) && details.via === "break_glass";
}

function Actor({ row }: { row: AuditRow }) {
  if (row.actorId) return <>{row.actorName ?? row.actorId}</>;
  return <span className="text-muted-foreground">{row.actorRole === "system" ? "System" : "Not signed in"}</span>;
}

// Audit events as a table; sortable through the URL. Details (ids, counts, break-glass reasons) only for admins;
// `rowAction`, a control at the end of each row.
export function AuditTable({
  rows,
  caption,
  sort,
  showDetails,
  rowAction,
}: {
  rows: AuditRow[];
  caption: string;
  sort: SortProps;
  showDetails: boolean;
  rowAction?: { label: string; render: (row: AuditRow) => ReactNode };
}) {
  return (
    <Table>
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <SortHeader label="Time (UTC)" column="createdAt" {...sort} />
          <TableHead>Actor</TableHead>
          <SortHeader label="Action" column="action" {...sort} />
          <SortHeader label="Outcome" column="outcome" {...sort} />
          <TableHead>Target</TableHead>
          <TableHead>Patient</TableHead>
          <TableHead>Source</TableHead>
          {showDetails ? <TableHead>Details</TableHead> : null}
          {rowAction ? <TableHead>{rowAction.label}</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.id.toString()}>
            <TableCell className="whitespace-nowrap">{formatDateTime(row.createdAt, "UTC")}</TableCell>
            <TableCell>
              <Actor row={row} />
              {row.actorRole ? <span className="block text-xs text-muted-foreground">{row.actorRole}</span> : null}
            </TableCell>
            <TableCell>
              <span className="font-mono text-xs">{row.action}</span>
              {row.action === BREAK_GLASS_ACTION ? (
                <Badge tone="danger" className="ml-2">
                  Break-glass
                </Badge>
              ) : null}
              {isViaBreakGlass(row.details) ? (
                <Badge tone="warning" className="ml-2">
                  Via break-glass
                </Badge>
              ) : null}
            </TableCell>
            <TableCell>
              <Badge tone={OUTCOME_TONES[row.outcome] ?? "neutral"}>{row.outcome}</Badge>
            </TableCell>
            <TableCell className="font-mono text-xs">{row.targetType ? `${row.targetType}:${row.targetId ?? "—"}` : "—"}</TableCell>
            <TableCell className="font-mono text-xs">
              {row.patientId ? (
                <Link href={`/patients/${row.patientId}`} className="hover:underline">
                  {row.patientId}
                </Link>
              ) : (
                "—"
              )}
            </TableCell>
            <TableCell className="font-mono text-xs">{row.sourceIp ?? "—"}</TableCell>
            {showDetails ? <TableCell className="max-w-sm font-mono text-xs break-words">{row.details === null ? "—" : JSON.stringify(row.details)}</TableCell> : null}
            {rowAction ? <TableCell>{rowAction.render(row)}</TableCell> : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
