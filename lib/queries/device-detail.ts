import { db } from "@/lib/db";
import { LIFECYCLE_LABELS } from "@/lib/devices/lifecycle";
import type { DeviceLifecycle } from "@/lib/generated/prisma/client";
import { listName } from "@/lib/patients/names";

// One device's page: identity, lifecycle, the merged timeline and the assignment history of its IMEI or gateway.

// What each DeviceEvent type means to staff; unknown types are shown as they are.
const EVENT_TITLES: Record<string, string> = {
  vendor_request: "Request sent to the vendor",
  vendor_outcome_unknown: "The vendor did not confirm in time",
  vendor_request_failed: "The vendor refused the request",
  assigned_on_site: "Assigned on site",
  shipment_requested: "Shipment requested",
  shipment_shipped: "Shipped (recorded by the clinic)",
  shipment_delivered: "Delivered (recorded by the clinic)",
  activation_needs_fix: "Activated, but the gateway ID is unknown to the vendor",
  gateway_corrected: "Gateway ID corrected",
  vendor_status: "Vendor status update",
  vendor_checked: "Checked with the vendor",
  first_reading: "First reading",
  readings_resumed: "Readings resumed",
  hardware_replaced: "Hardware replaced",
  hardware_reported: "Hardware ID reported by the vendor",
  replacement_requested: "Replacement requested",
  swapped_in: "Took over from a replaced device",
  moved: "Moved to another patient",
  disconnected: "Disconnected",
};

// One line of the timeline.
export type TimelineEntry = {
  key: string;
  at: Date;
  title: string;
  detail: string | null;
  lifecycle: { from: DeviceLifecycle | null; to: DeviceLifecycle | null } | null;
  vendorStatus: string | null;
  actor: string | null;
};

const patientSelect = { id: true, firstName: true, lastName: true, mrn: true } as const;

// The device with everything its page shows, or null.
export async function getDeviceDetail(deviceId: string) {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    include: {
      gateway: true,
      patient: { select: patientSelect },
      assignments: { include: { patient: { select: patientSelect } }, orderBy: { startedAt: "asc" } },
      events: { orderBy: { occurredAt: "asc" } },
      shipments: { include: { statusChanges: { orderBy: { occurredAt: "asc" } } }, orderBy: { createdAt: "asc" } },
    },
  });
  if (!device) return null;
  const [readingCount, actors, related] = await Promise.all([
    db.reading.count({ where: { deviceId, deletedAt: null } }),
    db.user.findMany({ where: { id: { in: [...new Set(device.events.map((e) => e.actorId).filter((id): id is string => id !== null))] } }, select: { id: true, name: true } }),
    relatedHistory(device.id, device.imei, device.gatewayId),
  ]);
  const actorNames = new Map(actors.map((a) => [a.id, a.name]));
  const timeline: TimelineEntry[] = [
    ...device.events.map((e) => ({
      key: `event-${e.id}`,
      at: e.occurredAt,
      title: EVENT_TITLES[e.type] ?? e.type.replace(/_/g, " "),
      detail: eventDetail(e.details),
      lifecycle: e.fromState !== e.toState ? { from: e.fromState, to: e.toState } : null,
      vendorStatus: e.vendorStatus,
      actor: e.actorId ? (actorNames.get(e.actorId) ?? null) : null,
    })),
    ...device.assignments.flatMap((a) => [
      { key: `assign-${a.id}`, at: a.startedAt, title: `Assignment to ${listName(a.patient)} began`, detail: null, lifecycle: null, vendorStatus: null, actor: null },
      ...(a.endedAt ? [{ key: `end-${a.id}`, at: a.endedAt, title: `Assignment to ${listName(a.patient)} ended`, detail: a.endedReason, lifecycle: null, vendorStatus: null, actor: null }] : []),
    ]),
    ...device.shipments.flatMap((s) =>
      s.statusChanges.map((c) => ({
        key: `ship-${c.id}`,
        at: c.occurredAt,
        title: `Shipment: ${c.status}`,
        detail: `${s.fulfiller === "clinic" ? "Shipped by the clinic" : "Shipped by the vendor"}${s.isGatewayOnly ? ", gateway only" : ""} · reported by ${c.source}`,
        lifecycle: null,
        vendorStatus: null,
        actor: null,
      })),
    ),
    ...(device.firstReadingAt ? [{ key: "first-reading", at: device.firstReadingAt, title: "First reading measured", detail: null, lifecycle: null, vendorStatus: null, actor: null }] : []),
    ...(device.lastReadingAt && device.lastReadingAt.getTime() !== device.firstReadingAt?.getTime()
      ? [{ key: "last-reading", at: device.lastReadingAt, title: "Last reading measured", detail: null, lifecycle: null, vendorStatus: null, actor: null }]
      : []),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || a.key.localeCompare(b.key));
  return { device, readingCount, timeline, related };
}

function eventDetail(details: unknown): string | null {
  if (!details || typeof details !== "object" || Array.isArray(details)) return null;
  const d = details as Record<string, unknown>;
  const parts = [d.reason, d.message, d.trackingLink].filter((v): v is string => typeof v === "string" && v.length > 0);
  if (typeof d.oldHardwareId === "string" && typeof d.newHardwareId === "string") parts.push(`${d.oldHardwareId} → ${d.newHardwareId}`);
  if (typeof d.reportedGatewayId === "string") parts.push(`gateway ${d.reportedGatewayId}`);
  if (typeof d.reportedImei === "string") parts.push(`IMEI ${d.reportedImei}`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

// Who had this IMEI, or any device on this gateway, and when (other device records included).
async function relatedHistory(deviceId: string, imei: string | null, gatewayId: string | null) {
  if (!imei && !gatewayId) return [];
  const assignments = await db.deviceAssignment.findMany({
    where: { device: { OR: [...(imei ? [{ imei }] : []), ...(gatewayId ? [{ gatewayId }] : [])] } },
    include: { patient: { select: patientSelect }, device: { select: { id: true, vendor: true, vendorType: true } } },
    orderBy: { startedAt: "desc" },
    take: 50,
  });
  return assignments.map((a) => ({ ...a, isThisDevice: a.deviceId === deviceId }));
}

// A lifecycle state for staff.
export function lifecycleLabel(state: DeviceLifecycle | null): string {
  return state ? LIFECYCLE_LABELS[state] : "—";
}
