import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { DEFAULT_SILENT_AFTER_DAYS, markSilentDevices, silentAfterDays } from "@/lib/ingest/silent-devices";
import { createDevice, createPatient } from "@/lib/ingest/test-fixtures";

// devices.mark-silent, scoped to this file's devices (the test database is shared).

const DAY = 86_400_000;

async function activeDevice(lastReadingDaysAgo: number) {
  const patient = await createPatient();
  const device = await createDevice({ vendor: "validic", patientId: patient.id, lifecycle: "active" });
  return db.device.update({ where: { id: device.id }, data: { lastReadingAt: new Date(Date.now() - lastReadingDaysAgo * DAY) } });
}

describe("silent devices", () => {
  it("marks an active device quiet for longer than the threshold silent, once, even when two runs race", async () => {
    const quiet = await activeDevice(5);
    const recent = await activeDevice(1);
    const scope = { deviceIds: [quiet.id, recent.id], days: 3 };

    const [first, second] = await Promise.all([markSilentDevices(scope), markSilentDevices(scope)]);

    expect([...first.marked, ...second.marked]).toEqual([quiet.id]);
    expect(await db.device.findUniqueOrThrow({ where: { id: quiet.id } })).toMatchObject({ lifecycle: "silent" });
    expect(await db.device.findUniqueOrThrow({ where: { id: recent.id } })).toMatchObject({ lifecycle: "active" });
    const events = await db.deviceEvent.findMany({ where: { deviceId: quiet.id } });
    expect(events).toMatchObject([{ type: "went_silent", fromState: "active", toState: "silent", details: { silentAfterDays: 3 } }]);
    expect((await markSilentDevices(scope)).marked).toEqual([]);
  });

  it(`reads the threshold from ClinicSetting devices.silentAfterDays (default ${DEFAULT_SILENT_AFTER_DAYS})`, async () => {
    expect(await silentAfterDays()).toBe(DEFAULT_SILENT_AFTER_DAYS);
    const device = await activeDevice(2);
    expect((await markSilentDevices({ deviceIds: [device.id] })).marked).toEqual([]);
    expect((await markSilentDevices({ deviceIds: [device.id], days: 1 })).marked).toEqual([device.id]);
  });
});
