import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// Why a shipment is on the exceptions worklist.
export const EXCEPTION_REASONS = ["stuck", "no_first_reading", "returned", "client_action", "on_hold"] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

export const EXCEPTION_LABELS: Record<ExceptionReason, string> = {
  stuck: "Stuck in transit",
  no_first_reading: "Delivered, no reading",
  returned: "Returned",
  client_action: "Client action required",
  on_hold: "On hold",
};

// ASSUMPTION: statuses (compared case-insensitively) in which a device is still on its way: Tenovi's pre-delivery
// statuses (vendor-docs) and the plain "Shipped" clinic-fulfilled shipments use.
export const SHIPPING_STATUSES = ["pending shipment", "dropship requested", "ready to ship", "shipped", "dropshipped"] as const;
export const DELIVERED_STATUS = "delivered";
export const RETURNED_STATUS = "returned";
// Tenovi's fulfilment problems that need someone at the clinic (vendor-docs, HWI statuses).
export const CLIENT_ACTION_STATUS = "client action required";
export const ON_HOLD_STATUS = "on hold";

// The clinic settings that tune the worklist, with their defaults.
export const SHIPMENT_SETTING_KEYS = { stuckAfterDays: "shipments.stuckAfterDays", noReadingAfterDays: "shipments.noReadingAfterDays" } as const;
export type ShipmentExceptionSettings = { stuckAfterDays: number; noReadingAfterDays: number };
export const DEFAULT_SHIPMENT_EXCEPTION_SETTINGS: ShipmentExceptionSettings = { stuckAfterDays: 7, noReadingAfterDays: 5 };

const daysSetting = z.coerce.number().int().min(1).max(365);

// Reads the worklist thresholds from ClinicSetting; a missing or nonsensical value falls back to the default.
export async function shipmentExceptionSettings(client: Pick<Prisma.TransactionClient, "clinicSetting"> = db): Promise<ShipmentExceptionSettings> {
  const rows = await client.clinicSetting.findMany({ where: { key: { in: Object.values(SHIPMENT_SETTING_KEYS) } } });
  const value = (key: keyof ShipmentExceptionSettings) => {
    const parsed = daysSetting.safeParse(rows.find((r) => r.key === SHIPMENT_SETTING_KEYS[key])?.value);
    return parsed.success ? parsed.data : DEFAULT_SHIPMENT_EXCEPTION_SETTINGS[key];
  };
  return { stuckAfterDays: value("stuckAfterDays"), noReadingAfterDays: value("noReadingAfterDays") };
}

const DAY_MS = 86_400_000;

// Whole days since `since`, as the worklist shows them.
export function daysSince(since: Date, now: Date): number {
  return Math.floor((now.getTime() - since.getTime()) / DAY_MS);
}

// One sentence saying why a shipment is an exception, for the worklist row.
export function describeException(
  row: { reason: ExceptionReason; status: string; stateSince: Date; vendor: string },
  settings: ShipmentExceptionSettings,
  now: Date,
): string {
  const days = daysSince(row.stateSince, now);
  const dayWord = (n: number) => `${n} day${n === 1 ? "" : "s"}`;
  switch (row.reason) {
    case "stuck":
      return `“${row.status}” for ${dayWord(days)}; expected to move on within ${dayWord(settings.stuckAfterDays)}.`;
    case "no_first_reading":
      return `Delivered ${dayWord(days)} ago and no reading yet; the patient may need help setting the device up.`;
    case "returned":
      return "The package came back; confirm the address with the patient and ship again.";
    case "client_action":
      return "The vendor needs the clinic to act (e.g. fix the address or answer a question) before it ships.";
    case "on_hold":
      return "The vendor put this shipment on hold; contact them to release it.";
  }
}
