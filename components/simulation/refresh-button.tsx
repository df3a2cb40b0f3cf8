"use client";

import { RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";

import { Button } from "@/components/ui/button";

// Re-reads the page's server data (the request log fills up as vendors are called in the background).
export function RefreshButton({ label = "Refresh" }: { label?: string }) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  return (
    <Button type="button" variant="ghost" size="sm" disabled={isPending} onClick={() => startTransition(() => router.refresh())}>
      <RefreshCw aria-hidden className={isPending ? "animate-spin" : undefined} />
      {label}
    </Button>
  );
}
