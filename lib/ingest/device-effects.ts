import { recordChanges, type AuditedChange } from "@/lib/audit";
import { textArrayLiteral } from "@/lib/database/array-literal";
import { queryRows } from "@/lib/database/query-rows";
import { Prisma, type DeviceLifecycle } from "@/lib/generated/prisma/client";
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

type DeviceReadingState = { id: string; patientId: string | null; lifecycle: DeviceLifecycle; firstReadingAt: Date | null; lastReadingAt: Date | null };

// Applies what this run's readings say about their devices: lastReadingAt only moves forward, firstReadingAt only
// back. A reading newer than any before makes a device that is on its way, delivered or silent active (and
// delivers its open shipment); a late old reading changes no state. The devices are locked and read in one query
// in device-id order (a stable lock order between runs) and updated in one statement, however many a batch touches.
// NO KEY UPDATE, the lock an UPDATE of these columns takes anyway: it leaves alone the KEY SHARE locks that other
// runs' reading inserts hold on the same devices (foreign keys), which FOR UPDATE would deadlock with.
export async function applyDeviceActivity(ctx: ProcessContext): Promise<void> {
  const { tx, sql } = ctx;
  const ids = [...ctx.activity.keys()].sort();
  if (ids.length === 0) return;
  const source = changeSource(ctx.arrival);
  const devices = await queryRows<DeviceReadingState>(sql, Prisma.sql`
    SELECT id, "patientId", lifecycle::text AS lifecycle, "firstReadingAt", "lastReadingAt" FROM "Device" WHERE id = ANY(${textArrayLiteral(ids)}::text[]) ORDER BY id FOR NO KEY UPDATE`);
  const updates: { id: string; lifecycle: DeviceLifecycle; firstReadingAt: Date; lastReadingAt: Date }[] = [];
  const events: Prisma.DeviceEventCreateManyInput[] = [];
  const changes: AuditedChange[] = [];
  const activated: { id: string; at: Date }[] = [];
  for (const device of devices) {
    const activity = ctx.activity.get(device.id);
    if (!activity) continue;
    const isFirst = device.firstReadingAt === null;
    const isNewer = device.lastReadingAt === null || activity.latest > device.lastReadingAt;
    const lifecycle = ACTIVATABLE.includes(device.lifecycle) && isNewer ? "active" : device.lifecycle;
    const firstReadingAt = device.firstReadingAt && device.firstReadingAt < activity.earliest ? device.firstReadingAt : activity.earliest;
    const lastReadingAt = isNewer || !device.lastReadingAt ? activity.latest : device.lastReadingAt;
    updates.push({ id: device.id, lifecycle, firstReadingAt, lastReadingAt });
    if (isFirst || lifecycle !== device.lifecycle) {
      const type = isFirst ? "first_reading" : "readings_resumed";
      events.push({ deviceId: device.id, type, fromState: device.lifecycle, toState: lifecycle, occurredAt: isFirst ? activity.earliest : activity.latest });
      changes.push({ action: `device.${type}`, targetType: "device", targetId: device.id, patientId: device.patientId, details: { from: device.lifecycle, to: lifecycle, source } });
    }
    if (lifecycle === "active" && lifecycle !== device.lifecycle) activated.push({ id: device.id, at: activity.latest });
  }
  if (updates.length === 0) return;
  const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
  // Timestamps travel as ISO text: Prisma keeps DateTime as UTC in timestamp(3) columns, and a cast keeps that.
  await queryRows(sql, Prisma.sql`
    UPDATE "Device" AS d
       SET lifecycle = v.lifecycle::"DeviceLifecycle", "firstReadingAt" = v.first_at, "lastReadingAt" = v.last_at, "updatedAt" = ${new Date()}::timestamp(3)
      FROM unnest(${textArrayLiteral(updates.map((u) => u.id))}::text[], ${textArrayLiteral(updates.map((u) => u.lifecycle))}::text[],
                  ${textArrayLiteral(iso(updates.map((u) => u.firstReadingAt)))}::timestamp(3)[], ${textArrayLiteral(iso(updates.map((u) => u.lastReadingAt)))}::timestamp(3)[])
           AS v(id, lifecycle, first_at, last_at)
     WHERE d.id = v.id`);
  if (events.length > 0) await tx.deviceEvent.createMany({ data: events });
  await recordChanges(tx, changes);
  for (const device of activated) await deliverOpenShipment(tx, device.id, source, device.at);
}

// Records a lifecycle or vendor-status change on the device timeline and, under the system actor, in the audit log.
export async function recordDeviceEvent(
  tx: IngestTx,
  event: { deviceId: string; type: string; fromState: DeviceLifecycle; toState: DeviceLifecycle; vendorStatus?: string; details?: Prisma.InputJsonValue; at: Date },
): Promise<void> {
  const created = await tx.deviceEvent.create({
    data: {
      deviceId: event.deviceId,
      type: event.type,
      fromState: event.fromState,
      toState: event.toState,
      vendorStatus: event.vendorStatus,
      details: event.details,
      occurredAt: event.at,
    },
    select: { device: { select: { patientId: true } } },
  });
  await recordChanges(tx, [
    {
      action: `device.${event.type}`,
      targetType: "device",
      targetId: event.deviceId,
      patientId: created.device.patientId,
      details: { from: event.fromState, to: event.toState, ...(event.vendorStatus ? { vendorStatus: event.vendorStatus } : {}) },
    },
  ]);
}
