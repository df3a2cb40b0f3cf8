import type { DeviceLifecycle } from "@/lib/generated/prisma/client";
import { changeSource, deliverOpenShipment, recordDeviceEvent, updateLatestShipment } from "@/lib/ingest/device-effects";
import type { ProcessContext } from "@/lib/ingest/process-context";
import { isImei } from "@/lib/vendors/tenovi/device-catalog";
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
  const hardware = await reportedHardware(ctx, device, item);
  let isChanged = false;
  const isStatusChanged = lifecycle !== device.lifecycle || device.vendorStatus !== status;
  if (isStatusChanged || hardware) {
    await ctx.tx.device.update({ where: { id: device.id }, data: { lifecycle, vendorStatus: status, ...hardware?.data } });
    await recordDeviceEvent(ctx.tx, {
      deviceId: device.id,
      // A status change carries the hardware with it; hardware reported on its own gets an entry of its own.
      type: isStatusChanged ? "vendor_status" : "hardware_reported",
      fromState: device.lifecycle,
      toState: lifecycle,
      vendorStatus: status,
      details: { ...(item.tracking_link ? { trackingLink: item.tracking_link } : {}), ...hardware?.details },
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

type LockedDevice = NonNullable<Awaited<ReturnType<typeof lockTenoviDevice>>>;

// The hardware a fulfillment webhook reports in `hardware_uuid` (vendor-docs: the Gateway ID of a gateway-connected
// device, the IMEI of a direct-cellular one; Tenovi fills it in when it ships), as a change to record on the device,
// the same way "Check with vendor" records it. Nothing when it is missing or already recorded, when Tenovi flags the
// gateway as unknown, or when the IMEI is malformed or held by another Tenovi device. A gateway that changes here
// changes for the device only: past readings keep their device and patient, as with a replacement.
async function reportedHardware(
  ctx: ProcessContext,
  device: LockedDevice,
  item: TenoviFulfillment,
): Promise<{ data: { gatewayId?: string; imei?: string }; details: Record<string, string> } | null> {
  const hardware = item.hardware_uuid?.trim();
  if (!hardware || /unknown gateway/i.test(item.status)) return null;
  if (device.connectivity === "cellular") {
    if (hardware === device.imei) return null;
    if (!isImei(hardware)) {
      ctx.notes.push("fulfillment webhook reports a hardware_uuid that is not an IMEI for a cellular device; not recorded");
      return null;
    }
    const holder = await ctx.tx.device.findUnique({ where: { vendor_imei: { vendor: "tenovi", imei: hardware } }, select: { id: true } });
    if (holder && holder.id !== device.id) {
      ctx.notes.push("fulfillment webhook reports an IMEI another Tenovi device holds; not recorded");
      return null;
    }
    return { data: { imei: hardware }, details: { reportedImei: hardware, ...(device.imei ? { previousImei: device.imei } : {}) } };
  }
  const current = device.gatewayId ? await ctx.tx.gateway.findUnique({ where: { id: device.gatewayId }, select: { gatewayUuid: true } }) : null;
  if (current && sameGatewayId(current.gatewayUuid, hardware)) return null;
  const known = await ctx.tx.gateway.findFirst({ where: { gatewayUuid: { equals: hardware, mode: "insensitive" } } });
  const gateway = known
    ? known.patientId === null && device.patientId !== null
      ? await ctx.tx.gateway.update({ where: { id: known.id }, data: { patientId: device.patientId } })
      : known
    : await ctx.tx.gateway.create({ data: { gatewayUuid: hardware, vendor: "tenovi", patientId: device.patientId } });
  return { data: { gatewayId: gateway.id }, details: { reportedGatewayId: gateway.gatewayUuid, ...(current ? { previousGatewayId: current.gatewayUuid } : {}) } };
}

// Gateway IDs compare without case or hyphens.
function sameGatewayId(a: string, b: string): boolean {
  const key = (id: string) => id.replace(/-/g, "").toLowerCase();
  return key(a) === key(b);
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
