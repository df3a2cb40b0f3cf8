import type { DeviceLifecycle, Prisma } from "@/lib/generated/prisma/client";
import type { Arrival, IngestTx, ProcessContext } from "@/lib/ingest/process-context";

// Shipment statuses after which a shipment is no longer open (compared case-insensitively).
const CLOSED_SHIPMENT_STATUSES = new Set(["delivered", "returned", "cancelled", "canceled", "connected"]);
// Lifecycles a new reading moves to `active`; a returned or disconnected device that measures stays as it is.
const ACTIVATABLE: DeviceLifecycle[] = ["in_stock", "assigned", "shipping", "delivered", "silent"];

// Where a status change came from, in ShipmentStatusChange.source words.
export function changeSource(arrival: Arrival): string {
  return arrival === "push" || arrival === "webhook" ? "webhook" : "poll";
}

type ShipmentUpdate = { status: string; trackingLink?: string | null; shippedAt?: Date; deliveredAt?: Date };

// Applies a status to the device's latest shipment, recording a ShipmentStatusChange when the status changes.
// A device without a shipment on file (handed out on site) has nothing to update.
export async function updateLatestShipment(tx: IngestTx, deviceId: string, update: ShipmentUpdate, source: string, at: Date): Promise<boolean> {
  const shipment = await tx.shipment.findFirst({ where: { deviceId }, orderBy: { createdAt: "desc" } });
  if (!shipment) return false;
  const data: Prisma.ShipmentUpdateInput = {};
  if (shipment.status !== update.status) data.status = update.status;
  if (update.trackingLink && update.trackingLink !== shipment.trackingLink) data.trackingLink = update.trackingLink;
  if (update.shippedAt && !shipment.shippedAt) data.shippedAt = update.shippedAt;
  if (update.deliveredAt && !shipment.deliveredAt) data.deliveredAt = update.deliveredAt;
  if (Object.keys(data).length === 0) return false;
  await tx.shipment.update({ where: { id: shipment.id }, data });
  if (data.status) await tx.shipmentStatusChange.create({ data: { shipmentId: shipment.id, status: update.status, source, occurredAt: at } });
  return true;
}

// Marks the device's open shipment delivered: a device that measures (or connects) has evidently arrived.
export async function deliverOpenShipment(tx: IngestTx, deviceId: string, source: string, at: Date): Promise<void> {
  const shipment = await tx.shipment.findFirst({ where: { deviceId }, orderBy: { createdAt: "desc" } });
  if (!shipment || shipment.deliveredAt || CLOSED_SHIPMENT_STATUSES.has(shipment.status.toLowerCase())) return;
  await updateLatestShipment(tx, deviceId, { status: "Delivered", deliveredAt: at }, source, at);
}

// Applies what this run's readings say about their devices, in device-id order (a stable lock order between runs):
// lastReadingAt only moves forward, firstReadingAt only back. A reading newer than any before makes a device that
// is on its way, delivered or silent active (and delivers its open shipment); a late old reading changes no state.
export async function applyDeviceActivity(ctx: ProcessContext): Promise<void> {
  const { tx } = ctx;
  const source = changeSource(ctx.arrival);
  for (const deviceId of [...ctx.activity.keys()].sort()) {
    const activity = ctx.activity.get(deviceId);
    const device = await tx.device.findUnique({ where: { id: deviceId }, select: { lifecycle: true, firstReadingAt: true, lastReadingAt: true } });
    if (!activity || !device) continue;
    const isFirst = device.firstReadingAt === null;
    const isNewer = device.lastReadingAt === null || activity.latest > device.lastReadingAt;
    const lifecycle = ACTIVATABLE.includes(device.lifecycle) && isNewer ? "active" : device.lifecycle;
    const firstReadingAt = device.firstReadingAt && device.firstReadingAt < activity.earliest ? device.firstReadingAt : activity.earliest;
    const lastReadingAt = isNewer ? activity.latest : device.lastReadingAt;
    await tx.device.update({ where: { id: deviceId }, data: { lifecycle, firstReadingAt, lastReadingAt } });
    if (isFirst || lifecycle !== device.lifecycle) {
      await tx.deviceEvent.create({
        data: {
          deviceId,
          type: isFirst ? "first_reading" : "readings_resumed",
          fromState: device.lifecycle,
          toState: lifecycle,
          occurredAt: isFirst ? activity.earliest : activity.latest,
        },
      });
    }
    if (lifecycle === "active" && lifecycle !== device.lifecycle) await deliverOpenShipment(tx, deviceId, source, activity.latest);
  }
}

// Records a lifecycle or vendor-status change on the device timeline.
export async function recordDeviceEvent(
  tx: IngestTx,
  event: { deviceId: string; type: string; fromState: DeviceLifecycle; toState: DeviceLifecycle; vendorStatus?: string; details?: Prisma.InputJsonValue; at: Date },
): Promise<void> {
  await tx.deviceEvent.create({
    data: {
      deviceId: event.deviceId,
      type: event.type,
      fromState: event.fromState,
      toState: event.toState,
      vendorStatus: event.vendorStatus,
      details: event.details,
      occurredAt: event.at,
    },
  });
}
