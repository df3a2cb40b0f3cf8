"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main role="alert" className="flex min-h-[60vh] flex-col items-center justify-center gap-3 px-6 text-center">
      <p className="text-sm font-semibold text-destructive">Something went wrong</p>
      <h1 className="text-2xl font-semibold">This page could not be shown</h1>
      <p className="max-w-md text-muted-foreground">
        Nothing you entered was lost. Try again; if it keeps happening, give an admin this reference: {error.digest ?? "none"}.
      </p>
      <Button onClick={reset}>Try again</Button>
    </main>
  );
}
