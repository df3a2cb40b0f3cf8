"use client";

import { useEffect, useState } from "react";

import { Button } from "@/components/ui/button";

// Row selection for server-rendered tables: each row's checkbox is a plain input (no client code per row) tied by its
// `form` attribute to a client form elsewhere on the page, which reads the ticked values on submit.

function rowCheckboxes(form: string): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][form="${form}"][data-row-select]`)];
}

// How many rows there are and how many are ticked, kept current as they change and as the page is refreshed.
export function useRowSelection(form: string): { checked: number; total: number } {
  const [selection, setSelection] = useState({ checked: 0, total: 0 });
  useEffect(() => {
    const update = () => {
      const boxes = rowCheckboxes(form);
      const checked = boxes.filter((box) => box.checked).length;
      setSelection((current) => (current.checked === checked && current.total === boxes.length ? current : { checked, total: boxes.length }));
    };
    update();
    document.addEventListener("change", update);
    return () => document.removeEventListener("change", update);
  });
  return selection;
}

// Clears every row's tick (after the form's action went through).
export function clearRowSelection(form: string): void {
  for (const box of rowCheckboxes(form)) box.checked = false;
}

// The submit button of a bulk form and how many rows it would act on (announced as it changes), or what to tick.
export function BulkSubmit({
  count,
  isPending,
  label,
  pendingLabel,
  noun,
  hint,
}: {
  count: number;
  isPending: boolean;
  label: string;
  pendingLabel: string;
  noun: [one: string, many: string];
  hint: string;
}) {
  return (
    <>
      <Button type="submit" variant="secondary" disabled={count === 0 || isPending}>
        {isPending ? pendingLabel : label}
      </Button>
      <p className="text-muted-foreground text-sm" aria-live="polite">
        {count === 0 ? hint : `${count} ${count === 1 ? noun[0] : noun[1]} selected`}
      </p>
    </>
  );
}

// The header checkbox: ticks or clears every row on this page.
export function SelectAllOnPage({ form, label }: { form: string; label: string }) {
  const { checked, total } = useRowSelection(form);
  const isAll = total > 0 && checked === total;
  return (
    <input
      type="checkbox"
      aria-label={label}
      checked={isAll}
      ref={(box) => {
        if (box) box.indeterminate = checked > 0 && !isAll;
      }}
      onChange={() => {
        for (const box of rowCheckboxes(form)) box.checked = !isAll;
        document.dispatchEvent(new Event("change"));
      }}
      className="size-4"
    />
  );
}
