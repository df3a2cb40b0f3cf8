"use client";

import type { TenoviOptions } from "@/components/devices/device-options";
import { Field } from "@/components/ui/field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { VALIDIC_TYPE_LABELS } from "@/lib/devices/catalog";
import { SMART_METER_DEVICE_TYPES } from "@/lib/vendors/validic/schemas";

type TypeFieldProps = { id: string; value: string; onChange: (value: string) => void; error?: string };

// Tenovi's device types as the vendor lists them (loaded on demand), cellular ones marked.
export function TenoviDeviceTypeField({ id, value, onChange, error, deviceTypes, isLoading, loadError }: TypeFieldProps & { deviceTypes: TenoviOptions["deviceTypes"]; isLoading: boolean; loadError: Error | null }) {
  return (
    <Field id={id} label="Device type" error={error ?? loadError?.message}>
      <Select value={value} onValueChange={onChange} disabled={isLoading}>
        <SelectTrigger id={id} aria-invalid={Boolean(error)}>
          <SelectValue placeholder={isLoading ? "Loading Tenovi's device types…" : "Choose a device type"} />
        </SelectTrigger>
        <SelectContent>
          {deviceTypes.map((t) => (
            <SelectItem key={t.name} value={t.name}>
              {t.name}
              {t.connectivity === "cellular" ? " (cellular)" : ""}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </Field>
  );
}

// The Validic Smart Meter device types.
export function ValidicDeviceTypeField({ id, value, onChange, error }: TypeFieldProps) {
  return (
    <Field id={id} label="Device type" error={error}>
      <Select value={value} onValueChange={onChange}>
        <SelectTrigger id={id} aria-invalid={Boolean(error)}>
          <SelectValue placeholder="Choose a device type" />
        </SelectTrigger>
        <SelectContent>
          {SMART_METER_DEVICE_TYPES.map((t) => (
            <SelectItem key={t} value={t}>
              {VALIDIC_TYPE_LABELS[t]}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </Field>
  );
}
