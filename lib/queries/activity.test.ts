import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { alertListSchema, listAlerts, listReadings, readingListSchema } from "@/lib/queries/activity";

async function readingsOfNewMetric(count: number): Promise<string> {
  const metric = `m-${randomUUID().slice(0, 12)}`;
  await db.reading.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      vendor: "tenovi" as const,
      vendorRecordId: `${metric}-${i}`,
      metric,
      value: i,
      unit: "count",
      measuredAt: new Date(Date.UTC(2024, 0, 1, 0, i)),
      arrival: "webhook",
    })),
  });
  return metric;
}

describe("listReadings", () => {
  it("counts at most `countAhead` readings past the page and says when it stopped counting", async () => {
    const metric = await readingsOfNewMetric(12);
    const capped = await listReadings(readingListSchema.parse({ metric, size: "25", dir: "desc" }), 5);
    expect({ total: capped.total, isTotalCapped: capped.isTotalCapped, rows: capped.rows.length }).toEqual({ total: 5, isTotalCapped: true, rows: 12 });
    const second = await listReadings(readingListSchema.parse({ metric, size: "25", page: "2" }), 5);
    expect({ total: second.total, isTotalCapped: second.isTotalCapped }).toEqual({ total: 12, isTotalCapped: false });
    const exact = await listReadings(readingListSchema.parse({ metric, size: "25" }), 12);
    expect({ total: exact.total, isTotalCapped: exact.isTotalCapped }).toEqual({ total: 12, isTotalCapped: false });
    expect(capped.rows.map((r) => r.value)).toEqual(Array.from({ length: 12 }, (_, i) => 11 - i));
  });
});

describe("listAlerts", () => {
  it("shows every alert that is not resolved by default, and one status when asked", async () => {
    const patient = await db.patient.create({ data: { mrn: `mrn-${randomUUID()}`, firstName: "Alert", lastName: `List-${randomUUID()}`, dateOfBirth: new Date("1950-01-01") } });
    const statuses = ["open", "acknowledged", "resolved"] as const;
    await db.alert.createMany({ data: statuses.map((status) => ({ patientId: patient.id, severity: "critical" as const, status, message: `${status} ${patient.id}` })) });
    const unresolved = await listAlerts(alertListSchema.parse({ size: "100" }));
    const mine = (rows: { message: string }[]) => rows.filter((row) => row.message.endsWith(patient.id)).map((row) => row.message.split(" ")[0]).sort();
    expect(mine(unresolved.rows)).toEqual(["acknowledged", "open"]);
    expect(mine((await listAlerts(alertListSchema.parse({ status: "resolved", size: "100" }))).rows)).toEqual(["resolved"]);
  });
});
