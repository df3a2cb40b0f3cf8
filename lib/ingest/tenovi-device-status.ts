import type { DeviceLifecycle } from "@/lib/generated/prisma/client";
import { changeSource, deliverOpenShipment, recordDeviceEvent, updateLatestShipment } from "@/lib/ingest/device-effects";
import type { ProcessContext } from "@/lib/ingest/process-context";
import type { TenoviFulfillment, TenoviReplacement } from "@/lib/vendors/tenovi/webhook-schemas";

// How a Tenovi status moves our lifecycle. Observed in practice: Dropship Requested → Dropshipped → Delivered →
// Connected; every other transition is an ASSUMPTION (vendor-notes §1 "Status values"). Statuses only move the
// lifecycle forward along assigned → shipping → delivered → active, so a late or repeated webhook cannot undo
// progress; Returned and Unlinked end it; Replaced and unknown words leave it alone (the word is still stored).
type StatusClass = "pre_shipment" | "shipped" | "delivered" | "connected" | "returned" | "unlinked" | "other";

const STATUS_CLASSES: Record<string, StatusClass> = {
  "pending shipment": "pre_shipment",
  "dropship requested": "pre_shipment",
  "ready to ship": "pre_shipment",
  "on hold": "pre_shipment",
  "client action required": "pre_shipment",
  shipped: "shipped",
  dropshipped: "shipped",
  delivered: "delivered",
  connected: "connected",
  returned: "returned",
  unlinked: "unlinked",
};

// Lifecycles from which a shipment status may (re)start the device's way to the patient.
const RESTARTABLE: DeviceLifecycle[] = ["in_stock", "returned", "disconnected"];

// Which kind of step a Tenovi status is (spacing and case ignored; unknown words are "other").
export function tenoviStatusClass(status: string): StatusClass {
  return STATUS_CLASSES[status.trim().replace(/\s+/g, " ").toLowerCase()] ?? "other";
}

// The lifecycle a device in `current` takes when Tenovi reports `status`.
export function lifecycleForTenoviStatus(status: string, current: DeviceLifecycle): DeviceLifecycle {
  switch (tenoviStatusClass(status)) {
    case "pre_shipment":
      return RESTARTABLE.includes(current) ? "assigned" : current;
    case "shipped":
      return [...RESTARTABLE, "assigned"].includes(current) ? "shipping" : current;
    case "delivered":
      return [...RESTARTABLE, "assigned", "shipping"].includes(current) ? "delivered" : current;
    case "connected":
      return "active";
    case "returned":
      return "returned";
    case "unlinked":
      return "disconnected";
    case "other":
      return current;
  }
}

async function lockTenoviDevice(ctx: ProcessContext, hwiDeviceId: string) {
  const device = await ctx.tx.device.findUnique({
    where: { vendor_vendorDeviceId: { vendor: "tenovi", vendorDeviceId: hwiDeviceId } },
    select: { id: true },
  });
  if (!device) return null;
  await ctx.tx.$queryRaw`SELECT id FROM "Device" WHERE id = ${device.id} FOR UPDATE`;
  return ctx.tx.device.findUniqueOrThrow({ where: { id: device.id } });
}

// A fulfillment webhook: the device's vendor status and lifecycle, its latest shipment and the timeline.
// A repeated webhook changes nothing and records nothing.
export async function applyTenoviFulfillment(ctx: ProcessContext, item: TenoviFulfillment): Promise<void> {
  const device = await lockTenoviDevice(ctx, item.hwi_device_id);
  if (!device) {
    ctx.counts.skipped += 1;
    ctx.notes.push("fulfillment webhook for a device Pulseboard does not know");
    return;
  }
  const status = item.status.trim();
  const at = ctx.receivedAt;
  const source = changeSource(ctx.arrival);
  const lifecycle = lifecycleForTenoviStatus(status, device.lifecycle);
  let isChanged = false;
  if (lifecycle !== device.lifecycle || device.vendorStatus !== status) {
    await ctx.tx.device.update({ where: { id: device.id }, data: { lifecycle, vendorStatus: status } });
    await recordDeviceEvent(ctx.tx, {
      deviceId: device.id,
      type: "vendor_status",
      fromState: device.lifecycle,
      toState: lifecycle,
      vendorStatus: status,
      details: item.tracking_link ? { trackingLink: item.tracking_link } : undefined,
      at,
    });
    isChanged = true;
  }
  const trackingLink = item.tracking_link ?? null;
  const statusClass = tenoviStatusClass(status);
  if (statusClass === "connected") await deliverOpenShipment(ctx.tx, device.id, source, at);
  else if (statusClass === "shipped") isChanged = (await updateLatestShipment(ctx.tx, device.id, { status, trackingLink, shippedAt: at }, source, at)) || isChanged;
  else if (statusClass === "delivered") isChanged = (await updateLatestShipment(ctx.tx, device.id, { status, trackingLink, deliveredAt: at }, source, at)) || isChanged;
  else if (statusClass === "pre_shipment" || statusClass === "returned") isChanged = (await updateLatestShipment(ctx.tx, device.id, { status, trackingLink }, source, at)) || isChanged;
  if (isChanged) ctx.counts.statusUpdates += 1;
}

// A replacement webhook: the old hardware id (device_id) becomes the new one (hardware_uuid) on the gateway and
// on every device that used it. Past readings keep their device and patient: nothing is re-attributed.
export async function applyTenoviReplacement(ctx: ProcessContext, item: TenoviReplacement): Promise<void> {
  const { tx } = ctx;
  const oldId = item.device_id.trim();
  const newId = item.hardware_uuid.trim();
  const affected = new Set<string>();

  const oldGateway = await tx.gateway.findUnique({ where: { gatewayUuid: oldId } });
  if (oldGateway) {
    const devices = await tx.device.findMany({ where: { gatewayId: oldGateway.id }, select: { id: true } });
    devices.forEach((device) => affected.add(device.id));
    const newGateway = await tx.gateway.findUnique({ where: { gatewayUuid: newId } });
    if (newGateway) await tx.device.updateMany({ where: { gatewayId: oldGateway.id }, data: { gatewayId: newGateway.id } });
    else await tx.gateway.update({ where: { id: oldGateway.id }, data: { gatewayUuid: newId } });
  }

  const isNewImeiTaken = (await tx.device.count({ where: { vendor: "tenovi", imei: newId } })) > 0;
  const cellular = await tx.device.findMany({ where: { vendor: "tenovi", imei: oldId }, select: { id: true } });
  if (cellular.length > 0 && !isNewImeiTaken) {
    await tx.device.updateMany({ where: { vendor: "tenovi", imei: oldId }, data: { imei: newId } });
    cellular.forEach((device) => affected.add(device.id));
  }

  if (item.hwi_device_id) {
    const device = await tx.device.findUnique({
      where: { vendor_vendorDeviceId: { vendor: "tenovi", vendorDeviceId: item.hwi_device_id } },
      include: { gateway: true },
    });
    if (device && device.connectivity === "gateway" && device.gateway?.gatewayUuid !== newId) {
      const gateway = await tx.gateway.upsert({
        where: { gatewayUuid: newId },
        create: { gatewayUuid: newId, vendor: "tenovi", patientId: device.patientId },
        update: {},
      });
      await tx.device.update({ where: { id: device.id }, data: { gatewayId: gateway.id } });
      affected.add(device.id);
    }
  }

  if (affected.size === 0) {
    ctx.notes.push("replacement webhook for hardware Pulseboard does not know (or already applied)");
    return;
  }
  for (const deviceId of [...affected].sort()) {
    const device = await tx.device.update({ where: { id: deviceId }, data: { vendorStatus: "Replaced" }, select: { lifecycle: true } });
    await recordDeviceEvent(tx, {
      deviceId,
      type: "hardware_replaced",
      fromState: device.lifecycle,
      toState: device.lifecycle,
      vendorStatus: "Replaced",
      details: { oldHardwareId: oldId, newHardwareId: newId },
      at: ctx.receivedAt,
    });
  }
  ctx.counts.replacements += 1;
}
