import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { applyTransition, applyTransitions, canTransition, LIFECYCLE_ORDER, LIFECYCLE_TRANSITIONS, pathTo } from "@/lib/devices/lifecycle";
import { createPatient, newImei } from "@/lib/devices/test-harness";
import { AppError } from "@/lib/errors";
import type { DeviceLifecycle } from "@/lib/generated/prisma/client";

async function newDevice(lifecycle: DeviceLifecycle = "in_stock", vendorStatus: string | null = null) {
  const patient = await createPatient();
  return db.device.create({
    data: { vendor: "validic", category: "glucometer", connectivity: "cellular", vendorType: "blood_glucose", imei: newImei(), lifecycle, vendorStatus, patientId: patient.id },
  });
}

describe("the lifecycle table", () => {
  it("covers every state and only names states it knows", () => {
    expect(Object.keys(LIFECYCLE_TRANSITIONS).sort()).toEqual([...LIFECYCLE_ORDER].sort());
    for (const targets of Object.values(LIFECYCLE_TRANSITIONS)) for (const to of targets) expect(LIFECYCLE_ORDER).toContain(to);
  });

  it("follows the documented path in_stock → assigned → shipping → delivered → active → silent → disconnected", () => {
    const path: DeviceLifecycle[] = ["in_stock", "assigned", "shipping", "delivered", "active", "silent", "disconnected"];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1] as DeviceLifecycle, path[i] as DeviceLifecycle)).toBe(true);
  });

  it("refuses skipping back (a delivered device cannot be shipping again) and allows staying put", () => {
    expect(canTransition("delivered", "shipping")).toBe(false);
    expect(canTransition("in_stock", "active")).toBe(false);
    expect(canTransition("active", "active")).toBe(true);
  });

  it("finds the shortest allowed path", () => {
    expect(pathTo("in_stock", "delivered")).toEqual(["assigned", "delivered"]);
    expect(pathTo("disconnected", "delivered")).toEqual(["assigned", "delivered"]);
    expect(pathTo("active", "active")).toEqual([]);
    expect(() => pathTo("in_stock", "silent")).not.toThrow();
  });
});

describe("applyTransition", () => {
  it("moves the device and writes one DeviceEvent with from, to, vendor status and actor in the same transaction", async () => {
    const device = await newDevice();
    await db.$transaction((tx) => applyTransition(tx, { deviceId: device.id, to: "assigned", vendorStatus: "connected", type: "assigned_on_site", actorId: "actor-1" }));
    const stored = await db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(stored).toMatchObject({ lifecycle: "assigned", vendorStatus: "connected" });
    const events = await db.deviceEvent.findMany({ where: { deviceId: device.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ fromState: "in_stock", toState: "assigned", vendorStatus: "connected", actorId: "actor-1", type: "assigned_on_site" });
  });

  it("refuses a move the table forbids and writes nothing", async () => {
    const device = await newDevice("delivered");
    const error = await db.$transaction((tx) => applyTransition(tx, { deviceId: device.id, to: "shipping", type: "test" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect(await db.deviceEvent.count({ where: { deviceId: device.id } })).toBe(0);
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("delivered");
  });

  it("keeps the vendor's status word when none is given, and records a new word without a lifecycle change", async () => {
    const device = await newDevice("shipping", "Dropshipped");
    await db.$transaction((tx) => applyTransition(tx, { deviceId: device.id, to: "shipping", type: "vendor_status" }));
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).vendorStatus).toBe("Dropshipped");
    await db.$transaction((tx) => applyTransition(tx, { deviceId: device.id, to: "shipping", vendorStatus: "Some New Tenovi Word", type: "vendor_status" }));
    const events = await db.deviceEvent.findMany({ where: { deviceId: device.id }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => e.vendorStatus)).toEqual(["Dropshipped", "Some New Tenovi Word"]);
  });

  it("rolls the whole path back when one step fails", async () => {
    const device = await newDevice();
    await expect(db.$transaction((tx) => applyTransitions(tx, { deviceId: device.id, type: "test" }, ["assigned", "silent"]))).rejects.toThrow(AppError);
    expect((await db.device.findUniqueOrThrow({ where: { id: device.id } })).lifecycle).toBe("in_stock");
    expect(await db.deviceEvent.count({ where: { deviceId: device.id } })).toBe(0);
  });
});
