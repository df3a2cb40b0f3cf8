
import { Button } from "@/components/ui/button";
import { Link } from "@/components/ui/link";

// What staff see when their role does not include a page.
export function ForbiddenNotice() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-destructive">403 · Not allowed</p>
      <h1 className="text-2xl font-semibold">Your role does not include this page</h1>
      <p className="max-w-md text-muted-foreground">Ask an admin if you need access.</p>
      <Button asChild variant="outline">
        <Link href="/">Back to your start page</Link>
      </Button>
    </main>
  );
}
