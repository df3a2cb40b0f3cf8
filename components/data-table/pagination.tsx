
import { Button } from "@/components/ui/button";
import { withParams } from "@/components/data-table/url";
import { Link } from "@/components/ui/link";

// Previous/next links and the range shown, for a server-paginated list; a capped total reads "10,000+". `anchor`:
// the id of the list's element, for a list that is not the top of its page (the links go back to it).
export function Pagination({
  total,
  isTotalCapped = false,
  page,
  size,
  basePath,
  params,
  anchor,
}: {
  total: number;
  isTotalCapped?: boolean;
  page: number;
  size: number;
  basePath: string;
  params: Record<string, string | undefined>;
  anchor?: string;
}) {
  const lastPage = Math.max(1, Math.ceil(total / size));
  const href = (target: number) => `${withParams(basePath, params, { page: target })}${anchor ? `#${anchor}` : ""}`;
  const from = total === 0 ? 0 : (page - 1) * size + 1;
  const to = Math.min(total, page * size);
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 border-t px-3 py-3 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {from}–{to} of {total.toLocaleString("en-US")}
        {isTotalCapped ? "+" : ""}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Button asChild variant="outline" size="sm">
            <Link href={href(page - 1)}>Previous</Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Previous
          </Button>
        )}
        {page < lastPage ? (
          <Button asChild variant="outline" size="sm">
            <Link href={href(page + 1)}>Next</Link>
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled>
            Next
          </Button>
        )}
      </div>
    </nav>
  );
}
