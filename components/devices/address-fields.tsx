"use client";

import { describedBy, Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

// A shipping address as the form holds it (validated with shippingAddressSchema on submit and on the server).
export type AddressForm = { name: string; line1: string; line2: string; city: string; state: string; zipCode: string };

const FIELDS: { key: keyof AddressForm; label: string; autoComplete: string; hint?: string; className?: string }[] = [
  { key: "name", label: "Ship to", autoComplete: "name" },
  { key: "line1", label: "Street address", autoComplete: "address-line1" },
  { key: "line2", label: "Apartment, suite (optional)", autoComplete: "address-line2" },
  { key: "city", label: "City", autoComplete: "address-level2" },
  { key: "state", label: "State", autoComplete: "address-level1", hint: "Two letters, e.g. OH" },
  { key: "zipCode", label: "ZIP code", autoComplete: "postal-code", hint: "5 digits or ZIP+4" },
];

// The address inputs, prefilled from the patient's record; errors keyed "address.<field>".
export function AddressFields({ idPrefix, value, onChange, errors }: { idPrefix: string; value: AddressForm; onChange: (next: AddressForm) => void; errors: Record<string, string> }) {
  return (
    <fieldset className="grid grid-cols-2 gap-3">
      <legend className="col-span-2 mb-1 text-sm font-medium">Shipping address (US only)</legend>
      {FIELDS.map((field) => {
        const id = `${idPrefix}-${field.key}`;
        const error = errors[`address.${field.key}`];
        return (
          <div key={field.key} className={field.key === "state" || field.key === "zipCode" ? "col-span-1" : "col-span-2"}>
            <Field id={id} label={field.label} error={error} hint={field.hint}>
              <Input
                id={id}
                autoComplete={field.autoComplete}
                value={value[field.key]}
                onChange={(e) => onChange({ ...value, [field.key]: e.target.value })}
                aria-invalid={Boolean(error)}
                aria-describedby={describedBy(id, error, Boolean(field.hint))}
              />
            </Field>
          </div>
        );
      })}
    </fieldset>
  );
}
