import { describe, expect, it } from "vitest";

import { loadPatientRecord, RECENT_READINGS } from "@/lib/queries/patient-record";
import { db } from "@/lib/db";
import { createPatient, createReading, createStaff } from "@/tests/factories";

describe("loadPatientRecord", () => {
  it("returns the patient with date of birth and phone, and their latest readings newest first without deleted ones", async () => {
    const patient = await createPatient({ phone: "+15551230000", dateOfBirth: new Date("1950-04-03T00:00:00Z"), city: "Denver", smsConsent: true });
    const start = Date.parse("2026-03-01T00:00:00Z");
    for (let i = 0; i < RECENT_READINGS + 2; i++) await createReading(patient.id, { measuredAt: new Date(start + i * 3_600_000), value: 100 + i, flags: i === 0 ? ["irregular"] : [] });
    const deleted = await createReading(patient.id, { measuredAt: new Date(start + 99 * 3_600_000), deletedAt: new Date() });

    const record = await loadPatientRecord(patient.id);
    if (!record) throw new Error("the patient was not found");
    expect(record.patient).toMatchObject({ id: patient.id, mrn: patient.mrn, phone: "+15551230000", dateOfBirth: new Date("1950-04-03T00:00:00Z"), city: "Denver", smsConsent: true, status: "enrolled" });
    expect(record.readings).toHaveLength(RECENT_READINGS);
    expect(record.readings.map((r) => r.id)).not.toContain(deleted.id);
    expect(record.readings[0]).toMatchObject({ metric: "blood_pressure", value: 100 + RECENT_READINGS + 1, value2: 80, unit: "mmHg", flags: [], vendor: "validic" });
    const times = record.readings.map((r) => r.measuredAt.getTime());
    expect(times).toEqual(times.toSorted((a, b) => b - a));
    expect(await loadPatientRecord("no-such-patient")).toBeNull();
    expect(record.patient.careManager).toBeNull();
  });

  it("names the care manager, and says when their account was deactivated", async () => {
    const manager = await createStaff("clinician", { name: "Dana Whitfield" });
    const patient = await createPatient({ careManagerId: manager.id });
    expect((await loadPatientRecord(patient.id))?.patient.careManager).toEqual({ name: "Dana Whitfield", isActive: true });
    await db.user.update({ where: { id: manager.id }, data: { isActive: false } });
    expect((await loadPatientRecord(patient.id))?.patient.careManager).toEqual({ name: "Dana Whitfield", isActive: false });
  });
});
