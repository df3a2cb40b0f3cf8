import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { detailRecordExists, detailRecordOf } from "@/lib/detail-records";
import { createDevice, createPatient } from "@/lib/ingest/test-fixtures";

describe("detail records", () => {
  it("finds the record a page is about from its path, and nothing for lists and forms", () => {
    expect(detailRecordOf("/patients/p1")).toEqual({ table: "Patient", id: "p1" });
    expect(detailRecordOf("/patients/p1/vitals")).toEqual({ table: "Patient", id: "p1" });
    expect(detailRecordOf("/patients/p1/edit/")).toEqual({ table: "Patient", id: "p1" });
    expect(detailRecordOf("/emergency-access/p%201")).toEqual({ table: "Patient", id: "p 1" });
    expect(detailRecordOf("/devices/d1")).toEqual({ table: "Device", id: "d1" });
    expect(detailRecordOf("/admin/ingest/events/42")).toEqual({ table: "IngestEvent", id: "42" });
    for (const path of ["/patients", "/patients/new", "/patients/p1/other", "/devices", "/admin/ingest/events", "/admin/ingest/unmatched"]) {
      expect(detailRecordOf(path)).toBeNull();
    }
  });

  it("says whether the record exists", async () => {
    const patient = await createPatient();
    const device = await createDevice({ vendor: "tenovi", patientId: patient.id });
    const event = await db.ingestEvent.create({ data: { source: "tenovi_webhook", bodySha256: "x", payload: {} } });
    expect(await detailRecordExists({ table: "Patient", id: patient.id })).toBe(true);
    expect(await detailRecordExists({ table: "Device", id: device.id })).toBe(true);
    expect(await detailRecordExists({ table: "IngestEvent", id: String(event.id) })).toBe(true);
    expect(await detailRecordExists({ table: "Patient", id: "no-such-patient" })).toBe(false);
    expect(await detailRecordExists({ table: "Device", id: patient.id })).toBe(false);
    expect(await detailRecordExists({ table: "IngestEvent", id: "not-a-number" })).toBe(false);
    expect(await detailRecordExists({ table: "IngestEvent", id: "999999999999999999" })).toBe(false);
  });
});
