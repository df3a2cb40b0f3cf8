"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, type FormEvent } from "react";
import { toast } from "sonner";

import { BULK_CARE_MANAGER_FORM } from "@/components/data-table/bulk-forms";
import { BulkSubmit, clearRowSelection, useRowSelection } from "@/components/data-table/row-selection";
import { Label } from "@/components/ui/label";
import { assignCareManagerAction } from "@/lib/actions/assign-care-manager";
import { unwrapAction } from "@/lib/actions/unwrap-action";
import { useSingleFlight } from "@/lib/hooks/use-single-flight";

const NONE = "none";

// "Assign care manager" for the patients ticked on this page of the list: one action, a toast with how many changed,
// the list refreshed (the ticks are cleared).
export function BulkCareManagerForm({ careManagers }: { careManagers: { value: string; label: string }[] }) {
  const router = useRouter();
  const selectId = useId();
  const count = useRowSelection(BULK_CARE_MANAGER_FORM).checked;
  const once = useSingleFlight();
  const assign = useMutation({
    mutationFn: async (input: { patientIds: string[]; careManagerId: string | null }) => unwrapAction(await assignCareManagerAction(input)),
    onSuccess: ({ changed }, input) => {
      const who = input.careManagerId === null ? "No care manager" : "Care manager assigned";
      toast.success(`${who}: ${changed} of ${input.patientIds.length} ${input.patientIds.length === 1 ? "patient" : "patients"} changed`);
      clearRowSelection(BULK_CARE_MANAGER_FORM);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const patientIds = data.getAll("patientIds").map(String);
    const manager = String(data.get("careManagerId") ?? "");
    if (patientIds.length === 0 || !manager) return;
    once((done) => assign.mutate({ patientIds, careManagerId: manager === NONE ? null : manager }, { onSettled: done }));
  }

  return (
    <form
      id={BULK_CARE_MANAGER_FORM}
      onSubmit={onSubmit}
      aria-label="Assign care manager to the selected patients"
      className="flex flex-wrap items-end gap-3 border-b px-3 py-3"
    >
      <div className="flex flex-col gap-1.5">
        <Label htmlFor={selectId}>Care manager for the selected patients</Label>
        <select
          id={selectId}
          name="careManagerId"
          required
          defaultValue=""
          className="bg-card focus-visible:ring-ring h-9 rounded-md border px-2 text-sm focus-visible:ring-2 focus-visible:outline-none"
        >
          <option value="" disabled>
            Choose…
          </option>
          <option value={NONE}>No care manager</option>
          {careManagers.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <BulkSubmit
        count={count}
        isPending={assign.isPending}
        label="Assign"
        pendingLabel="Assigning…"
        noun={["patient", "patients"]}
        hint="Tick patients in the list to assign them."
      />
    </form>
  );
}
