"use client";

import { useEffect, useRef, useState } from "react";

import type { VitalsChart } from "@/lib/readings/vitals";
import { cn } from "@/lib/utils";

// A chart's data as a table behind a disclosure, for screen-reader and keyboard users. The rows are drawn when it is
// opened: every vitals page carried each chart's table, hundreds of rows nobody had asked for, rendered and sent
// twice (HTML and React payload); now only their text travels.
export function ChartDataTable({ title, table }: { title: string; table: VitalsChart["table"] }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [isOpen, setIsOpen] = useState(false);
  // Opened before the page was interactive: draw the rows now.
  useEffect(() => {
    if (ref.current?.open) setIsOpen(true);
  }, []);
  return (
    <details ref={ref} className="text-sm" onToggle={(event) => setIsOpen(event.currentTarget.open)}>
      <summary className="cursor-pointer rounded-sm text-primary hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
        {title}: data table ({table.rows.length} rows)
      </summary>
      {isOpen ? (
        <div className="mt-2 max-h-72 overflow-auto rounded-md border">
          <table className="w-full text-xs">
            <caption className="sr-only">{title} readings, newest first</caption>
            <thead className="sticky top-0 bg-muted">
              <tr>
                {table.columns.map((c) => (
                  <th key={c} scope="col" className="px-2 py-1.5 text-left font-semibold">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key} className={cn("border-t", row.isFlagged && "bg-destructive/5")}>
                  {row.cells.map((cell, i) => (
                    <td key={i} className={cn("px-2 py-1 tabular-nums", i === row.cells.length - 1 && row.isFlagged && "font-semibold text-destructive")}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
