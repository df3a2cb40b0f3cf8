import { Download } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { withParams } from "@/components/data-table/url";
import { ANONYMOUS_ACTOR_FILTER, AUDIT_OUTCOMES, SYSTEM_ACTOR_FILTER, UNRECORDED_OUTCOME_FILTER } from "@/lib/queries/audit";

const SELECT_CLASS = "h-9 rounded-md border bg-card px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

type Option = { value: string; label: string };

function SelectField({ name, label, value, options }: { name: string; label: string; value: string | undefined; options: Option[] }) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={`filter-${name}`}>{label}</Label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""} className={SELECT_CLASS}>
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

// The audit filters as a GET form (the view lives in the URL, like every list), and a CSV export of the same view.
export function AuditFilters({ basePath, params, staff, actions }: { basePath: string; params: Record<string, string | undefined>; staff: { id: string; name: string }[]; actions: string[] }) {
  const exportFilters = { actor: params.actor, action: params.action, outcome: params.outcome, patientId: params.patientId, from: params.from, to: params.to };
  return (
    <form action={basePath} method="get" role="search" aria-label="Filter audit events" className="flex flex-wrap items-end gap-3 border-b px-3 py-3">
      <SelectField
        name="actor"
        label="Actor"
        value={params.actor}
        options={[...staff.map((s) => ({ value: s.id, label: s.name })), { value: SYSTEM_ACTOR_FILTER, label: "System" }, { value: ANONYMOUS_ACTOR_FILTER, label: "Not signed in" }]}
      />
      <SelectField name="action" label="Action" value={params.action} options={actions.map((a) => ({ value: a, label: a }))} />
      <SelectField
        name="outcome"
        label="Outcome"
        value={params.outcome}
        options={[...AUDIT_OUTCOMES.map((o) => ({ value: o, label: o })), { value: UNRECORDED_OUTCOME_FILTER, label: "started, outcome not recorded" }]}
      />
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-patientId">Patient ID</Label>
        <Input id="filter-patientId" name="patientId" defaultValue={params.patientId ?? ""} className="w-56 font-mono" autoComplete="off" />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-from">From (UTC)</Label>
        <Input id="filter-from" name="from" type="date" defaultValue={params.from ?? ""} className="w-40" />
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="filter-to">To (UTC)</Label>
        <Input id="filter-to" name="to" type="date" defaultValue={params.to ?? ""} className="w-40" />
      </div>
      {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
      {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      <Button asChild variant="outline">
        {/* A plain link, not next/link: the browser downloads the file instead of client-side navigation. */}
        <a href={withParams("/api/audit/export", exportFilters, {})} download>
          <Download aria-hidden /> Export CSV
        </a>
      </Button>
    </form>
  );
}
