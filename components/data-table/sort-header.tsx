import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";

import { Link } from "@/components/ui/link";
import { TableHead } from "@/components/ui/table";
import { withParams } from "@/components/data-table/url";

// A column header that sorts the server-side list through the URL; aria-sort tells screen readers the order.
export function SortHeader({ label, column, current, basePath, params }: { label: string; column: string; current: { sort: string; dir: "asc" | "desc" }; basePath: string; params: Record<string, string | undefined> }) {
  const isActive = current.sort === column;
  const nextDir = isActive && current.dir === "asc" ? "desc" : "asc";
  const Icon = !isActive ? ArrowUpDown : current.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <TableHead aria-sort={isActive ? (current.dir === "asc" ? "ascending" : "descending") : "none"}>
      <Link href={withParams(basePath, params, { sort: column, dir: nextDir, page: undefined })} className="inline-flex items-center gap-1 hover:text-foreground">
        {label}
        <Icon className="size-3.5" aria-hidden />
      </Link>
    </TableHead>
  );
}
