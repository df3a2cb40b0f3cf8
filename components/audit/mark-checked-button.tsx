"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { Button } from "@/components/ui/button";
import { markActionCheckedAction } from "@/lib/actions/mark-action-checked";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

// For an action whose outcome was lost: once someone has checked what it changed, it leaves the list.
export function MarkCheckedButton({ startedEventId, action }: { startedEventId: string; action: string }) {
  const router = useRouter();
  const once = useSingleFlight();
  const mark = useMutation({
    mutationFn: async () => unwrapAction(await markActionCheckedAction({ startedEventId })),
    onSuccess: () => {
      toast.success(`Marked ${action} as checked`);
      router.refresh();
    },
    onError: (e) => toast.error(e.message),
  });
  return (
    <Button size="sm" variant="outline" disabled={mark.isPending} onClick={() => once((done) => mark.mutate(undefined, { onSettled: done }))}>
      {mark.isPending ? "Saving…" : "Mark checked"}
      <span className="sr-only"> {action}</span>
    </Button>
  );
}
