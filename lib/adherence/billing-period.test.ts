import { describe, expect, it } from "vitest";

import { bandFor, currentPeriodAdherence, summarizePeriod } from "@/lib/adherence/billing-period";
import { monthlyAdherence, monthlyAdherenceCsv } from "@/lib/adherence/monthly-report";
import { createPatient, createReading } from "@/tests/factories";

const NY = "America/New_York";

async function patientWithReadings(enrolledAt: string, readings: (string | { at: string; origin?: string; deletedAt?: Date; metric?: string })[], timeZone = NY) {
  const patient = await createPatient({ timeZone, enrolledAt: new Date(enrolledAt) });
  for (const r of readings) {
    const spec = typeof r === "string" ? { at: r } : r;
    await createReading(patient.id, { measuredAt: new Date(spec.at), deletedAt: spec.deletedAt, ...(spec.origin ? { origin: spec.origin } : {}), ...(spec.metric ? { metric: spec.metric } : {}) });
  }
  return patient;
}

async function periodFor(patientId: string, now: string) {
  const result = (await currentPeriodAdherence([patientId], new Date(now))).get(patientId);
  if (!result) throw new Error("no adherence row");
  return result;
}

describe("current 30-day period", () => {
  it("counts local calendar days across the March DST change in New York (23:30 EST the night before is the 7th)", async () => {
    const patient = await patientWithReadings("2026-03-01T05:00:00Z", [
      "2026-03-08T04:30:00Z", // 7 Mar 23:30 EST
      "2026-03-08T05:30:00Z", // 8 Mar 00:30 EST
      "2026-03-09T03:30:00Z", // 8 Mar 23:30 EDT: the 8th had only 23 hours
      "2026-03-09T04:15:00Z", // 9 Mar 00:15 EDT
    ]);
    expect(await periodFor(patient.id, "2026-03-09T16:00:00Z")).toEqual({
      patientId: patient.id,
      periodStart: "2026-03-01",
      periodEnd: "2026-03-30",
      today: "2026-03-09",
      daysWithReadings: 3,
      hasReadingToday: true,
      daysStillOpen: 21,
      canReachFull: true,
      band: "reduced",
    });
  });

  it("counts local calendar days across the November DST change (the 1st has 25 hours)", async () => {
    const patient = await patientWithReadings("2026-10-20T04:00:00Z", [
      "2026-11-01T03:30:00Z", // 31 Oct 23:30 EDT
      "2026-11-01T04:30:00Z", // 1 Nov 00:30 EDT
      "2026-11-02T04:30:00Z", // 1 Nov 23:30 EST
    ]);
    const period = await periodFor(patient.id, "2026-11-02T17:00:00Z");
    expect(period).toMatchObject({ periodStart: "2026-10-20", periodEnd: "2026-11-18", today: "2026-11-02", daysWithReadings: 2, hasReadingToday: false });
  });

  it("starts periods every 30 local days from the enrolment day and counts 23:30 on the period's last day", async () => {
    // Enrolled 1 Jan (local): periods 1 Jan–30 Jan, 31 Jan–1 Mar, 2 Mar–31 Mar.
    const patient = await patientWithReadings("2026-01-01T05:00:00Z", [
      "2026-03-02T04:30:00Z", // 1 Mar 23:30 EST: the previous period
      "2026-03-02T05:10:00Z", // 2 Mar 00:10 EST: this period's first day
      "2026-04-01T03:30:00Z", // 31 Mar 23:30 EDT: this period's last day
    ]);
    expect(await periodFor(patient.id, "2026-04-01T03:45:00Z")).toMatchObject({ periodStart: "2026-03-02", periodEnd: "2026-03-31", today: "2026-03-31", daysWithReadings: 2, hasReadingToday: true, daysStillOpen: 0 });
    expect(await periodFor(patient.id, "2026-04-01T04:30:00Z")).toMatchObject({ periodStart: "2026-04-01", daysWithReadings: 0 });
  });

  it("leaves out manual, deleted and non-vital readings", async () => {
    const patient = await patientWithReadings("2026-03-01T05:00:00Z", [
      { at: "2026-03-02T15:00:00Z", origin: "manual" },
      { at: "2026-03-03T15:00:00Z", deletedAt: new Date("2026-03-04T00:00:00Z") },
      { at: "2026-03-04T15:00:00Z", metric: "battery_percentage" },
      { at: "2026-03-05T15:00:00Z", origin: "unknown" },
    ]);
    expect((await periodFor(patient.id, "2026-03-09T16:00:00Z")).daysWithReadings).toBe(1);
  });

  it("flags a patient who cannot reach 16 days: counted plus the days still open, today included when it has no reading", async () => {
    // Period 2–31 Mar; on 21 Mar with no reading today, 11 days are still open (21st–31st).
    const days = (n: number) => Array.from({ length: n }, (_, i) => `2026-03-${String(2 + i).padStart(2, "0")}T15:00:00Z`);
    const four = await patientWithReadings("2026-01-01T05:00:00Z", days(4));
    const five = await patientWithReadings("2026-01-01T05:00:00Z", days(5));
    expect(await periodFor(four.id, "2026-03-21T17:00:00Z")).toMatchObject({ daysWithReadings: 4, daysStillOpen: 11, canReachFull: false });
    expect(await periodFor(five.id, "2026-03-21T17:00:00Z")).toMatchObject({ daysWithReadings: 5, daysStillOpen: 11, canReachFull: true });
  });

  it("answers a whole page of patients in one call", async () => {
    const a = await patientWithReadings("2026-03-01T05:00:00Z", ["2026-03-02T15:00:00Z"]);
    const b = await patientWithReadings("2026-03-01T08:00:00Z", ["2026-03-02T07:30:00Z"], "America/Los_Angeles");
    const result = await currentPeriodAdherence([a.id, b.id, "no-such-patient"], new Date("2026-03-09T16:00:00Z"));
    expect([...result.keys()].sort()).toEqual([a.id, b.id].sort());
    // 2 Mar 07:30 UTC is 1 Mar 23:30 in Los Angeles.
    expect(result.get(b.id)).toMatchObject({ periodStart: "2026-03-01", daysWithReadings: 1 });
  });

  it("bands 0–1, 2–15 and 16+ days", () => {
    expect([0, 1, 2, 15, 16, 30].map(bandFor)).toEqual(["below", "below", "reduced", "reduced", "full", "full"]);
    expect(summarizePeriod({ patientId: "p", periodStart: "2026-03-01", periodEnd: "2026-03-30", today: "2026-03-30", days: 15, hasToday: false })).toMatchObject({ daysStillOpen: 1, canReachFull: true });
  });
});

describe("monthly report", () => {
  it("counts calendar-month days in each patient's time zone and lists only patients enrolled during the month", async () => {
    const ny = await patientWithReadings("2026-01-10T15:00:00Z", [
      "2026-03-01T04:30:00Z", // 28 Feb 23:30 EST: February
      "2026-03-01T05:30:00Z", // 1 Mar 00:30 EST
      "2026-03-08T04:30:00Z", // 7 Mar 23:30 EST
      "2026-03-09T03:30:00Z", // 8 Mar 23:30 EDT
      "2026-04-01T03:30:00Z", // 31 Mar 23:30 EDT
    ]);
    const later = await createPatient({ enrolledAt: new Date("2026-04-01T12:00:00Z") });
    const gone = await createPatient({ enrolledAt: new Date("2025-01-01T12:00:00Z"), status: "offboarded", offboardedAt: new Date("2026-02-20T12:00:00Z") });
    const rows = (await monthlyAdherence("2026-03")).filter((r) => [ny.id, later.id, gone.id].includes(r.patientId));
    expect(rows).toEqual([expect.objectContaining({ patientId: ny.id, daysWithReadings: 4, daysInMonth: 31, enrolledOn: "2026-01-10", offboardedOn: null, status: "enrolled" })]);
  });

  it("writes CSV rows that a spreadsheet cannot run as formulas", () => {
    const csv = monthlyAdherenceCsv("2026-03", [
      {
        patientId: "p",
        mrn: "=HYPERLINK(\"http://x\")",
        lastName: "O'Brien, Jr.",
        firstName: "+Ann",
        status: "enrolled",
        timeZone: NY,
        enrolledOn: "2026-01-10",
        offboardedOn: null,
        daysWithReadings: 16,
        daysInMonth: 31,
        careMinutes: 45,
        hadLiveCall: true,
      },
    ]);
    const [header, row] = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(header).toBe(
      "Month,MRN,Last name,First name,Program status,Time zone,Enrolled on,Offboarded on,Days with device readings,Days in month,Band,Met 16 days,Care minutes,Live call,99457,99458 units",
    );
    expect(row).toBe(`2026-03,"'=HYPERLINK(""http://x"")","O'Brien, Jr.",'+Ann,enrolled,America/New_York,2026-01-10,,16,31,16+ days,yes,45,yes,yes,1`);
  });
});
