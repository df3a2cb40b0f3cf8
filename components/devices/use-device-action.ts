"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { unwrapAction } from "@/lib/actions/unwrap-action";

type ActionResult<T> = { data?: T; serverError?: string; validationErrors?: unknown } | undefined;

// Outcomes that need the staff member's attention although the request itself went through.
const ATTENTION = new Set(["needs-fix", "pending-verification", "partial", "not-swapped", "released"]);

// Runs a device server action through TanStack Query: one request at a time (callers disable their buttons while
// isPending), the outcome's message as a toast, and the page's server data refreshed.
export function useDeviceAction<I, R extends { message: string; outcome?: string }>(action: (input: I) => Promise<ActionResult<R>>, onDone?: (result: R) => void) {
  const router = useRouter();
  return useMutation({
    mutationFn: async (input: I) => unwrapAction(await action(input)),
    onSuccess: (result) => {
      if (result.outcome && ATTENTION.has(result.outcome)) toast.warning(result.message, { duration: 10_000 });
      else toast.success(result.message);
      router.refresh();
      onDone?.(result);
    },
    onError: (error) => toast.error(error.message, { duration: 10_000 }),
  });
}
