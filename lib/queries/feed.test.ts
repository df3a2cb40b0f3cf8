import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { feedParamsSchema, readingFeed } from "@/lib/queries/feed";
import { createPatient, createReading } from "@/tests/factories";

describe("readingFeed", () => {
  it("lists the newest readings with their patient and most severe alert, and narrows to one metric or the out-of-range ones", async () => {
    // A metric of its own keeps other test files' readings out of this feed.
    const metric = `feed_${randomUUID().slice(0, 8)}`;
    const patient = await createPatient({ lastName: "Feedson", firstName: "Ada", timeZone: "America/New_York" });
    const at = (minutes: number) => new Date(Date.UTC(2031, 0, 1, 12, minutes));
    const alerted = await createReading(patient.id, { metric, value: 190, value2: 100, measuredAt: at(3) });
    const flagged = await createReading(patient.id, { metric, value: 500, value2: null, unit: "mg/dL", flags: ["glucose_high"], measuredAt: at(2) });
    const normal = await createReading(patient.id, { metric, value: 120, value2: 80, measuredAt: at(1) });
    const unmatched = await createReading(null, { metric, value: 118, value2: 79, measuredAt: at(0) });
    await createReading(patient.id, { metric, value: 130, value2: 85, measuredAt: at(4), deletedAt: at(5) });
    for (const severity of ["medium", "critical", "high"] as const) {
      await db.alert.create({ data: { patientId: patient.id, readingId: alerted.id, severity, message: `${severity} alert` } });
    }

    const feed = await readingFeed(feedParamsSchema.parse({ metric }));
    expect(feed.map((r) => r.id)).toEqual([alerted, flagged, normal, unmatched].map((r) => r.id.toString()));
    expect(feed[0]).toMatchObject({
      patient: { id: patient.id, name: "Feedson, Ada" },
      alertSeverity: "critical",
      isOutOfRange: true,
      isDeviceFlagged: false,
      measuredAt: at(3).toISOString(),
      vendor: "validic",
    });
    expect(feed[1]).toMatchObject({ alertSeverity: null, isOutOfRange: true, isDeviceFlagged: true });
    expect(feed[2]).toMatchObject({ alertSeverity: null, isOutOfRange: false });
    expect(feed[3]?.patient).toBeNull();

    const outOfRange = await readingFeed(feedParamsSchema.parse({ metric, outOfRange: "1" }));
    expect(outOfRange.map((r) => r.id)).toEqual([alerted.id.toString(), flagged.id.toString()]);
    expect(await readingFeed(feedParamsSchema.parse({ metric, limit: "2" }))).toHaveLength(2);
  });
});
