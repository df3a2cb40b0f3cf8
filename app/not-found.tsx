
import { Button } from "@/components/ui/button";
import { Link } from "@/components/ui/link";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-muted-foreground">404</p>
      <h1 className="text-2xl font-semibold">This page does not exist</h1>
      <p className="max-w-md text-muted-foreground">The link may be out of date, or the record was removed.</p>
      <Button asChild variant="outline">
        <Link href="/">Back to your start page</Link>
      </Button>
    </main>
  );
}
