import type { Connectivity, DeviceCategory } from "@/lib/generated/prisma/client";
import { catalogEntry, connectivityOf, normalizeDeviceName, type TenoviMeasurementKind } from "@/lib/vendors/tenovi/device-catalog";
import type { SmartzDeviceType } from "@/lib/vendors/smartz/schemas";
import type { SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";

// What kind of device a vendor's type name is, in Pulseboard's categories.

const TENOVI_KIND_CATEGORY: Record<TenoviMeasurementKind, DeviceCategory> = {
  bpm: "blood_pressure",
  "pulse-ox": "pulse_oximeter",
  glucometer: "glucometer",
  scale: "scale",
  thermometer: "thermometer",
  watch: "watch",
  "peak-flow": "peak_flow",
  pillbox: "pillbox",
};

// A Tenovi device type's category and connectivity (account-specific names outside the standard table are "other").
export function tenoviDeviceKind(deviceName: string): { category: DeviceCategory; connectivity: Connectivity } {
  const entry = catalogEntry(normalizeDeviceName(deviceName));
  return { category: entry ? TENOVI_KIND_CATEGORY[entry.kind] : "other", connectivity: connectivityOf(deviceName) };
}

// Smart Meter device types as staff read them.
export const VALIDIC_TYPE_LABELS: Record<SmartMeterDeviceType, string> = {
  blood_glucose: "Blood glucose meter",
  blood_pressure: "Blood pressure monitor",
  weight_scale: "Weight scale",
  pulse_oximeter: "Pulse oximeter",
};

const SMARTZ_TYPE_LABELS: Record<SmartzDeviceType, string> = { pod: "Smartz pod", node: "Smartz node" };

// A device's type as staff read it: Tenovi's device types are names already ("Tenovi BPM - L"); Smart Meter and
// Smartz types are codes ("pulse_oximeter", "pod"). A code Pulseboard does not know is shown as it is.
export function deviceTypeName(device: { vendor: string; vendorType: string }): string {
  const labels: Record<string, string> = device.vendor === "validic" ? VALIDIC_TYPE_LABELS : device.vendor === "smartz" ? SMARTZ_TYPE_LABELS : {};
  return Object.hasOwn(labels, device.vendorType) ? (labels[device.vendorType] ?? device.vendorType) : device.vendorType;
}

const VALIDIC_TYPE_CATEGORY: Record<SmartMeterDeviceType, DeviceCategory> = {
  blood_glucose: "glucometer",
  blood_pressure: "blood_pressure",
  weight_scale: "scale",
  pulse_oximeter: "pulse_oximeter",
};

// A Smart Meter device type's category.
export function validicDeviceCategory(deviceType: SmartMeterDeviceType): DeviceCategory {
  return VALIDIC_TYPE_CATEGORY[deviceType];
}

// Smartz pods are the wearable transceivers of a smart diaper; they relay through the care home's mesh of nodes.
export const SMARTZ_POD = { vendorType: "pod", category: "smart_diaper", connectivity: "mesh" } as const;
