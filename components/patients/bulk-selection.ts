// The form the patient list's row checkboxes belong to (their `form` attribute), so the rows stay server-rendered
// with no client code of their own. Not in the client component's module: a server component importing a constant
// from a "use client" file gets a reference, not the string.
export const BULK_CARE_MANAGER_FORM = "bulk-care-manager";
