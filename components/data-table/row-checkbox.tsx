// A row's checkbox for a form elsewhere on the page (components/data-table/row-selection.tsx): server-rendered.
export function RowCheckbox({ form, name, value, label }: { form: string; name: string; value: string; label: string }) {
  return <input type="checkbox" form={form} name={name} value={value} aria-label={label} data-row-select="" className="size-4" />;
}
