import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { loadVitals, VITALS_TABLE_PAGE_SIZE } from "@/lib/queries/vitals";
import { createDevice, createPatient, createReading } from "@/tests/factories";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);

// A patient with a cuff and a scale: readings in the last week (one deleted at the vendor, two at the same instant),
// one outside the 7-day range, and weights over the last 60 days.
async function patientWithReadings() {
  const patient = await createPatient({ timeZone: "UTC" });
  const cuff = await createDevice(patient.id, "blood_pressure");
  const scale = await createDevice(patient.id, "scale");
  const bp = (measuredAt: Date, value: number, extra: { deletedAt?: Date; deviceId?: string | null } = {}) =>
    createReading(patient.id, { measuredAt, value, value2: 80, deviceId: cuff.id, ...extra });
  const sameInstant = ago(2 * DAY);
  const first = await bp(sameInstant, 121);
  const second = await bp(sameInstant, 122);
  await bp(ago(1 * DAY), 140, { deletedAt: ago(HOUR) });
  await bp(ago(3 * DAY), 130, { deviceId: null });
  await bp(ago(20 * DAY), 150);
  for (const days of [50, 30, 5]) {
    await createReading(patient.id, { measuredAt: ago(days * DAY), metric: "body_weight", value: 80 + days / 10, value2: null, unit: "kg", deviceId: scale.id });
  }
  return { patient, cuff, scale, sameInstantIds: [first.id, second.id] };
}

describe("loadVitals", () => {
  it("charts the range without deleted readings and counts the deleted ones", async () => {
    const { patient } = await patientWithReadings();
    const vitals = await loadVitals(patient, { range: "7d" }, NOW);
    expect(vitals.deletedCount).toBe(1);
    const bpChart = vitals.charts.find((chart) => chart.id === "blood-pressure");
    expect(bpChart?.data.map((d) => d.systolic)).toEqual([130, 121, 122]);
    // The weight chart draws the range, and measures its 30-day change from the 60-day history (85 → 80.5 kg).
    const weight = vitals.charts.find((chart) => chart.id === "weight");
    expect(weight?.data).toHaveLength(1);
    expect(weight?.stats.find((stat) => stat.label === "Change over 30 days")?.value).toMatch(/^−4\.5 kg/);
  });

  it("lists the table newest first (ties by id), with each reading's device, deleted ones only on request", async () => {
    const { patient, cuff, sameInstantIds } = await patientWithReadings();
    const hidden = await loadVitals(patient, { range: "7d" }, NOW);
    const bpRows = hidden.table.rows.filter((r) => r.metric === "blood_pressure");
    expect(bpRows.map((r) => r.value)).toEqual([122, 121, 130]);
    expect(bpRows.slice(0, 2).map((r) => r.id)).toEqual([...sameInstantIds].reverse());
    expect(bpRows[0]?.device).toEqual({ vendorType: cuff.vendorType, imei: null, vendorDeviceId: cuff.vendorDeviceId });
    expect(bpRows[2]?.device).toBeNull();
    expect(typeof bpRows[0]?.id).toBe("bigint");
    expect(bpRows[0]?.measuredAt).toBeInstanceOf(Date);
    expect(bpRows[0]?.vendor).toBe("validic");

    const shown = await loadVitals(patient, { range: "7d", deleted: "show" }, NOW);
    const deleted = shown.table.rows.filter((r) => r.deletedAt !== null);
    expect(deleted.map((r) => r.value)).toEqual([140]);
    expect(shown.table.rows[0]?.value).toBe(140);
  });

  it("pages the table newest first, and charts every reading of the range", async () => {
    const patient = await createPatient({ timeZone: "UTC" });
    await db.$executeRaw`
      INSERT INTO "Reading" ("patientId", vendor, "vendorRecordId", metric, value, unit, "measuredAt", arrival, "updatedAt")
      SELECT ${patient.id}, 'validic', ${patient.id} || '-' || i, 'pulse', 60 + i % 40, 'bpm', ${NOW}::timestamp - i * interval '10 minutes', 'push', now()
        FROM generate_series(1, 520) i`;
    const vitals = await loadVitals(patient, { range: "7d" }, NOW);
    expect(vitals.table).toMatchObject({ total: 520, page: 1, size: VITALS_TABLE_PAGE_SIZE });
    expect(vitals.table.rows).toHaveLength(VITALS_TABLE_PAGE_SIZE);
    expect(vitals.table.rows[0]?.measuredAt.getTime()).toBe(NOW.getTime() - 10 * 60_000);
    expect(vitals.charts.find((chart) => chart.id === "pulse")?.data).toHaveLength(520);
    const second = await loadVitals(patient, { range: "7d", page: 2 }, NOW);
    expect(second.table.rows[0]?.measuredAt.getTime()).toBe(NOW.getTime() - (VITALS_TABLE_PAGE_SIZE + 1) * 10 * 60_000);
    // A page past the end shows the last one (520 rows: 21 pages of 25, the last one holding 20).
    const past = await loadVitals(patient, { range: "7d", page: 99 }, NOW);
    const lastPage = Math.ceil(520 / VITALS_TABLE_PAGE_SIZE);
    const onLast = 520 - (lastPage - 1) * VITALS_TABLE_PAGE_SIZE;
    expect(past.table.page).toBe(lastPage);
    expect(past.table.rows.map((r) => r.measuredAt.getTime())).toEqual([...Array(onLast).keys()].map((i) => NOW.getTime() - (520 - onLast + 1 + i) * 10 * 60_000));
  });
});
