"use client";

import { useQuery } from "@tanstack/react-query";

import { deviceKeys } from "@/lib/query-keys";

// What the device dialogs can offer, read when a dialog needs it (never on page load: these are vendor calls).

// Tenovi device types (with how each connects) and the gateways at the patient's home.
export type TenoviOptions = { deviceTypes: { name: string; connectivity: "gateway" | "cellular" }[]; gateways: string[] };
// Smartz pods, with the patient each is linked to in Pulseboard.
export type SmartzOptions = { pods: { id: string; serialNumber: string; status: string | null; linkedTo: string | null }[] };

async function getJson<T>(url: string): Promise<T> {
  // A list that does not come back says so (and can be asked again) instead of spinning forever.
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const body = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? "The list could not be loaded; try again.");
  return body;
}

// The Tenovi account's device types and the patient's gateways.
export function useTenoviOptions(patientId: string, isEnabled: boolean) {
  return useQuery({
    queryKey: deviceKeys.options("tenovi", patientId),
    queryFn: () => getJson<TenoviOptions>(`/api/devices/options?vendor=tenovi&patientId=${encodeURIComponent(patientId)}`),
    enabled: isEnabled,
  });
}

// The organisation's Smartz pods.
export function useSmartzOptions(isEnabled: boolean) {
  return useQuery({ queryKey: deviceKeys.options("smartz", ""), queryFn: () => getJson<SmartzOptions>("/api/devices/options?vendor=smartz"), enabled: isEnabled });
}

// Enrolled patients matching a search, for moving a device.
export function useMoveTargets(query: string, excludePatientId: string, isEnabled: boolean) {
  return useQuery({
    queryKey: deviceKeys.moveTargets(query, excludePatientId),
    queryFn: () => getJson<{ patients: { id: string; label: string }[] }>(`/api/devices/patients?q=${encodeURIComponent(query)}&exclude=${encodeURIComponent(excludePatientId)}`),
    enabled: isEnabled,
  });
}
