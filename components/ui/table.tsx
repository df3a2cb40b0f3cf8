import type { ComponentProps } from "react";

import { cn } from "@/lib/utils";

// Semantic table parts with consistent spacing; wrap in a scroll container for narrow screens. Their styles are the
// ui-table* classes in app/globals.css (short class names: a list renders hundreds of cells).
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="ui-table-wrap">
      <table className={cn("ui-table", className)} {...props} />
    </div>
  );
}

export function TableHeader({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("ui-thead", className)} {...props} />;
}

export function TableBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("ui-tbody", className)} {...props} />;
}

export function TableRow({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("ui-tr", className)} {...props} />;
}

export function TableHead({ className, ...props }: ComponentProps<"th">) {
  return <th className={cn("ui-th", className)} {...props} />;
}

// The header of a column of row buttons: named for screen readers, blank on screen.
export function TableActionsHead() {
  return (
    <TableHead>
      <span className="sr-only">Actions</span>
    </TableHead>
  );
}

export function TableCell({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("ui-td", className)} {...props} />;
}

export function TableCaption({ className, ...props }: ComponentProps<"caption">) {
  return <caption className={cn("sr-only", className)} {...props} />;
}
