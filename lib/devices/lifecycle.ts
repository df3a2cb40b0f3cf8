import type { Database } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Device, DeviceLifecycle, Prisma } from "@/lib/generated/prisma/client";

// The one device lifecycle every vendor's device follows, the moves allowed between its states, and the single
// function that moves a device and writes its timeline event in the same transaction.

// A transaction of lib/db.ts's client.
export type DbTx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

// The states in their usual order: in stock → assigned → shipping → delivered → active (first reading) → silent → gone.
export const LIFECYCLE_ORDER: readonly DeviceLifecycle[] = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected", "returned"];

// Where a device in each state may go next. Staying in the same state (a new vendor status word) is always allowed.
// assigned is re-entered from delivered/active/silent when a device moves to another patient, and from disconnected
// or returned when a device is reused.
export const LIFECYCLE_TRANSITIONS: Readonly<Record<DeviceLifecycle, readonly DeviceLifecycle[]>> = {
  in_stock: ["assigned"],
  assigned: ["shipping", "delivered", "active", "disconnected", "returned", "in_stock"],
  shipping: ["delivered", "active", "disconnected", "returned"],
  delivered: ["active", "assigned", "disconnected", "returned"],
  active: ["silent", "assigned", "disconnected", "returned"],
  silent: ["active", "assigned", "disconnected", "returned"],
  disconnected: ["assigned", "in_stock", "returned"],
  returned: ["in_stock", "assigned", "disconnected"],
};

// Lifecycles in which a device is no longer in use by a patient.
export const ENDED_LIFECYCLES: readonly DeviceLifecycle[] = ["disconnected", "returned"];

// Staff-facing names of the states.
export const LIFECYCLE_LABELS: Record<DeviceLifecycle, string> = {
  in_stock: "In stock",
  assigned: "Assigned",
  shipping: "Shipping",
  delivered: "Delivered",
  active: "Active",
  silent: "Silent",
  disconnected: "Disconnected",
  returned: "Returned",
};

// Pulseboard's own word in vendorStatus while a creating vendor call has no confirmed outcome (it timed out).
export const PENDING_VERIFICATION = "Pending verification";

// Whether a device may go from one state to the other.
export function canTransition(from: DeviceLifecycle, to: DeviceLifecycle): boolean {
  return from === to || LIFECYCLE_TRANSITIONS[from].includes(to);
}

// One move of a device: the target state (or the same one), the vendor's status word, who did it and why.
export type TransitionInput = {
  deviceId: string;
  to: DeviceLifecycle;
  // The vendor's word (Tenovi status, Validic connection state, Smartz device state); undefined keeps the current one.
  vendorStatus?: string | null;
  // The timeline entry's type, e.g. "assigned_on_site", "vendor_status", "disconnected".
  type: string;
  actorId?: string | null;
  details?: Prisma.InputJsonValue;
  // Other columns changed in the same update (patient, vendor id, IMEI, gateway).
  data?: Prisma.DeviceUncheckedUpdateInput;
  at?: Date;
};

// Locks the device row for the rest of the transaction, so concurrent moves (a webhook, a second click) queue up.
export async function lockDevice(tx: DbTx, deviceId: string): Promise<Device> {
  await tx.$queryRaw`SELECT id FROM "Device" WHERE id = ${deviceId} FOR UPDATE`;
  const device = await tx.device.findUnique({ where: { id: deviceId } });
  if (!device) throw new AppError("NOT_FOUND", "That device no longer exists.");
  return device;
}

// Moves a device to `to` (refusing moves the table does not allow), stores the vendor status beside it, and writes
// the DeviceEvent (from, to, vendor status, actor) in the same transaction. Returns the updated device.
export async function applyTransition(tx: DbTx, input: TransitionInput): Promise<Device> {
  const device = await lockDevice(tx, input.deviceId);
  if (!canTransition(device.lifecycle, input.to)) {
    throw new AppError(
      "CONFLICT",
      `A device that is ${LIFECYCLE_LABELS[device.lifecycle].toLowerCase()} cannot become ${LIFECYCLE_LABELS[input.to].toLowerCase()}.`,
    );
  }
  const vendorStatus = input.vendorStatus === undefined ? device.vendorStatus : input.vendorStatus;
  const updated = await tx.device.update({
    where: { id: device.id },
    data: { ...input.data, lifecycle: input.to, vendorStatus },
  });
  await tx.deviceEvent.create({
    data: {
      deviceId: device.id,
      type: input.type,
      fromState: device.lifecycle,
      toState: input.to,
      vendorStatus,
      details: input.details,
      actorId: input.actorId ?? null,
      occurredAt: input.at ?? new Date(),
    },
  });
  return updated;
}

// Applies several moves in order (e.g. assigned then delivered for a device handed over on site), one event each.
export async function applyTransitions(tx: DbTx, base: Omit<TransitionInput, "to">, path: readonly DeviceLifecycle[]): Promise<Device> {
  let device: Device | null = null;
  for (const [index, to] of path.entries()) {
    // Column changes go with the first step only; later steps only move the state.
    device = await applyTransition(tx, { ...base, to, data: index === 0 ? base.data : undefined });
  }
  if (!device) return lockDevice(tx, base.deviceId);
  return device;
}

// The shortest allowed path from one state to another (empty when already there), for callers that know the goal only.
export function pathTo(from: DeviceLifecycle, to: DeviceLifecycle): DeviceLifecycle[] {
  if (from === to) return [];
  const previous = new Map<DeviceLifecycle, DeviceLifecycle>();
  const queue: DeviceLifecycle[] = [from];
  while (queue.length > 0) {
    const state = queue.shift();
    if (state === undefined) break;
    for (const next of LIFECYCLE_TRANSITIONS[state]) {
      if (next === from || previous.has(next)) continue;
      previous.set(next, state);
      if (next === to) return unwind(previous, from, to);
      queue.push(next);
    }
  }
  throw new AppError("CONFLICT", `A device that is ${LIFECYCLE_LABELS[from].toLowerCase()} cannot become ${LIFECYCLE_LABELS[to].toLowerCase()}.`);
}

function unwind(previous: Map<DeviceLifecycle, DeviceLifecycle>, from: DeviceLifecycle, to: DeviceLifecycle): DeviceLifecycle[] {
  const path: DeviceLifecycle[] = [to];
  let current = previous.get(to);
  while (current !== undefined && current !== from) {
    path.unshift(current);
    current = previous.get(current);
  }
  return path;
}
