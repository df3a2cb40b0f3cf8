import type { ReactNode } from "react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export type FilterOption = { value: string; label: string };
export type FilterField = { name: string; label: string; options: FilterOption[] };

// A GET form: search and filters land in the URL, so a filtered view can be bookmarked and shared.
export function FilterBar({ basePath, params, searchLabel, filters, children }: { basePath: string; params: Record<string, string | undefined>; searchLabel: string; filters: FilterField[]; children?: ReactNode }) {
  return (
    <form action={basePath} method="get" role="search" className="flex flex-wrap items-end gap-3 border-b px-3 py-3">
      <div className="flex min-w-64 flex-1 flex-col gap-1.5">
        <Label htmlFor="q">{searchLabel}</Label>
        <Input id="q" name="q" type="search" defaultValue={params.q ?? ""} placeholder="Search…" />
      </div>
      {filters.map((filter) => (
        <div key={filter.name} className="flex flex-col gap-1.5">
          <Label htmlFor={`filter-${filter.name}`}>{filter.label}</Label>
          <select
            id={`filter-${filter.name}`}
            name={filter.name}
            defaultValue={params[filter.name] ?? ""}
            className="h-9 rounded-md border bg-card px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            <option value="">All</option>
            {filter.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
      {params.dir ? <input type="hidden" name="dir" value={params.dir} /> : null}
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      {children}
    </form>
  );
}
