
import { withParams } from "@/components/data-table/url";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Link } from "@/components/ui/link";
import type { VitalsRange } from "@/lib/readings/vitals";
import { cn } from "@/lib/utils";

const PRESETS = [
  { key: "7d", label: "7 days" },
  { key: "30d", label: "30 days" },
  { key: "90d", label: "90 days" },
] as const;

// Preset ranges as links and a custom range as a GET form, so every view of the vitals page has its own URL.
export function RangePicker({ basePath, params, range }: { basePath: string; params: Record<string, string | undefined>; range: VitalsRange }) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <nav aria-label="Time range" className="flex rounded-md border bg-card p-0.5">
        {PRESETS.map((p) => (
          <Link
            key={p.key}
            href={withParams(basePath, params, { range: p.key, from: undefined, to: undefined, page: undefined })}
            aria-current={range.key === p.key ? "page" : undefined}
            className={cn(
              "rounded px-3 py-1.5 text-sm font-medium text-muted-foreground hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              range.key === p.key && "bg-primary text-primary-foreground hover:text-primary-foreground",
            )}
          >
            {p.label}
          </Link>
        ))}
      </nav>
      <form action={basePath} method="get" className="flex flex-wrap items-end gap-2" aria-label="Custom range">
        <input type="hidden" name="range" value="custom" />
        {params.deleted ? <input type="hidden" name="deleted" value={params.deleted} /> : null}
        <div className="flex flex-col gap-1">
          <Label htmlFor="range-from">From</Label>
          <Input id="range-from" name="from" type="date" defaultValue={range.fromDay} required className="w-40" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="range-to">To</Label>
          <Input id="range-to" name="to" type="date" defaultValue={range.toDay} required className="w-40" />
        </div>
        <Button type="submit" variant={range.key === "custom" ? "default" : "secondary"}>
          Show range
        </Button>
      </form>
    </div>
  );
}
