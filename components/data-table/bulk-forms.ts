// The ids of the forms that server-rendered row checkboxes belong to (their `form` attribute; see
// components/data-table/row-selection.tsx). Not in the client components' modules: a server component importing a
// constant from a "use client" file gets a reference, not the string.
export const BULK_CARE_MANAGER_FORM = "bulk-care-manager";
export const BULK_ALERTS_FORM = "bulk-alerts";
