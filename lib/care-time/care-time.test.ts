import { describe, expect, it } from "vitest";

import { monthlyAdherence } from "@/lib/adherence/monthly-report";
import { dateIn, logCareTime, monthCareTime, removeCareTime, updateCareTime } from "@/lib/care-time/entries";
import { careMonthToShow, careTimeBilling, logCareTimeSchema } from "@/lib/care-time/schemas";
import { db } from "@/lib/db";
import { shiftMonth } from "@/lib/time/month";
import { createPatient, createStaff } from "@/tests/factories";

const createStaffMember = (name: string) => createStaff("clinician", { name });

const entry = (patientId: string, serviceDate: string, minutes: number, interactive = false) => ({ patientId, serviceDate, minutes, interactive });

describe("care time billing (CPT 99457 / 99458)", () => {
  it.each([
    [19, true, false, 0],
    [20, false, false, 0],
    [20, true, true, 0],
    [39, true, true, 0],
    [40, true, true, 1],
    [65, true, true, 2],
    [65, false, false, 0],
  ])("%i minutes, live call %s → 99457 %s, 99458 × %i", (minutes, live, firstCodeMet, additionalUnits) => {
    expect(careTimeBilling(minutes, live)).toEqual({ minutes, hasInteractive: live, firstCodeMet, additionalUnits });
  });

  it("accepts whole minutes from 1 to 240 on a day not ahead of today, with a short note", () => {
    const valid = { patientId: "p", serviceDate: "2026-03-05", minutes: 12, interactive: true, note: "Called about BP." };
    expect(logCareTimeSchema.safeParse(valid).success).toBe(true);
    for (const bad of [
      { minutes: 0 },
      { minutes: 241 },
      { minutes: 2.5 },
      { serviceDate: "2999-01-01" },
      { serviceDate: "5 March" },
      { note: "x".repeat(501) },
      { interactive: "yes" },
    ]) {
      expect(logCareTimeSchema.safeParse({ ...valid, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("the month a record's care time shows", () => {
  it("steps across year ends", () => {
    expect([shiftMonth("2026-01", -1), shiftMonth("2026-12", 1), shiftMonth("2026-11", -13)]).toEqual(["2025-12", "2027-01", "2025-10"]);
  });

  it("is the month asked for when it is a real month not after the current one, else the current month", () => {
    const shown = [undefined, "2026-10", "2019-02", "2026-11", "2026-12", "2026-13", "2026-1", "latest"].map((asked) => careMonthToShow(asked, "2026-11"));
    expect(shown).toEqual(["2026-11", "2026-10", "2019-02", "2026-11", "2026-11", "2026-11", "2026-11", "2026-11"]);
  });
});

describe("logged care time", () => {
  it("totals a calendar month by service date, latest first, with who logged each entry", async () => {
    const patient = await createPatient();
    const [ana, ben] = [await createStaffMember("Ana Nurse"), await createStaffMember("Ben Clinician")];
    await logCareTime(entry(patient.id, "2026-02-28", 30, true), ana.id);
    await logCareTime({ ...entry(patient.id, "2026-03-01", 15), note: "Reviewed readings" }, ana.id);
    await logCareTime(entry(patient.id, "2026-03-31", 10, true), ben.id);
    await logCareTime(entry(patient.id, "2026-04-01", 50, true), ben.id);
    const march = await monthCareTime(patient.id, "2026-03");
    expect(march.entries.map((e) => [e.serviceDate.toISOString().slice(0, 10), e.minutes, e.interactive, e.staffName, e.note])).toEqual([
      ["2026-03-31", 10, true, "Ben Clinician", null],
      ["2026-03-01", 15, false, "Ana Nurse", "Reviewed readings"],
    ]);
    expect(march.billing).toEqual({ minutes: 25, hasInteractive: true, firstCodeMet: true, additionalUnits: 0 });
    expect((await monthCareTime(patient.id, "2026-05")).billing.minutes).toBe(0);
  });

  it("keeps each patient's month totals (CareTimeMonth) through logs, concurrent logs, removals and moved dates", async () => {
    const patient = await createPatient();
    const staff = await createStaffMember("Dana Nurse");
    const months = async () =>
      (
        await db.careTimeMonth.findMany({
          where: { patientId: patient.id },
          orderBy: { month: "asc" },
          select: { month: true, minutes: true, liveEntries: true },
        })
      ).map((m) => [m.month.toISOString().slice(0, 7), m.minutes, m.liveEntries]);
    // Eight at once: each adds its own minutes under the row's lock.
    const logged = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => logCareTime(entry(patient.id, "2026-06-10", n, n === 8), staff.id)));
    expect(await months()).toEqual([["2026-06", 36, 1]]);
    const live = logged[7]?.id ?? "";
    await removeCareTime(live, { userId: staff.id, role: "clinician" });
    expect(await months()).toEqual([["2026-06", 28, 0]]);
    // A date corrected into another month moves its minutes there.
    await db.careTimeEntry.update({ where: { id: logged[0]?.id }, data: { serviceDate: new Date("2026-07-01T00:00:00Z"), interactive: true } });
    expect(await months()).toEqual([
      ["2026-06", 27, 0],
      ["2026-07", 1, 1],
    ]);
    const june = await monthCareTime(patient.id, "2026-06");
    expect(june.billing.minutes).toBe(27);
  });

  it("goes into the monthly report beside the days measured", async () => {
    const patient = await createPatient({ enrolledAt: new Date("2026-01-10T15:00:00Z") });
    const staff = await createStaffMember("Cara Coordinator");
    await logCareTime(entry(patient.id, "2026-03-03", 25), staff.id);
    await logCareTime(entry(patient.id, "2026-03-20", 20, true), staff.id);
    const [row] = (await monthlyAdherence("2026-03")).filter((r) => r.patientId === patient.id);
    expect(row).toMatchObject({ careMinutes: 45, hadLiveCall: true });
    const [april] = (await monthlyAdherence("2026-04")).filter((r) => r.patientId === patient.id);
    expect(april).toMatchObject({ careMinutes: 0, hadLiveCall: false });
  });

  it("takes an entry logged in error out of the totals and the report, for whoever logged it or an admin", async () => {
    const patient = await createPatient({ enrolledAt: new Date("2026-01-10T15:00:00Z") });
    const [ana, ben] = [await createStaffMember("Ana"), await createStaffMember("Ben")];
    const kept = await logCareTime(entry(patient.id, "2026-03-03", 20, true), ana.id);
    const wrong = await logCareTime(entry(patient.id, "2026-03-04", 30), ana.id);
    const bens = await logCareTime(entry(patient.id, "2026-03-05", 5), ben.id);
    await expect(removeCareTime(wrong.id, { userId: ben.id, role: "clinician" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await removeCareTime(wrong.id, { userId: ana.id, role: "clinician" })).toEqual({ patientId: patient.id, minutes: 30 });
    await expect(removeCareTime(wrong.id, { userId: ana.id, role: "clinician" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await removeCareTime(bens.id, { userId: ana.id, role: "admin" });
    const march = await monthCareTime(patient.id, "2026-03");
    expect(march.entries.map((e) => e.id)).toEqual([kept.id]);
    expect(march.billing.minutes).toBe(20);
    const [row] = (await monthlyAdherence("2026-03")).filter((r) => r.patientId === patient.id);
    expect(row).toMatchObject({ careMinutes: 20 });
    // Kept for the audit trail, marked removed.
    expect(await db.careTimeEntry.count({ where: { patientId: patient.id, deletedAt: { not: null } } })).toBe(2);
  });

  it("corrects an entry for whoever logged it or an admin, the month totals following it (also into another month)", async () => {
    const patient = await createPatient({ status: "enrolled" });
    const [ana, ben] = [await createStaffMember("Ana Ortiz"), await createStaffMember("Ben Cole")];
    const logged = await logCareTime(entry(patient.id, "2026-04-10", 12), ana.id);
    const totals = async () =>
      (await db.careTimeMonth.findMany({ where: { patientId: patient.id }, orderBy: { month: "asc" } })).map((m) => [
        m.month.toISOString().slice(0, 7),
        m.minutes,
        m.liveEntries,
      ]);
    const change = { entryId: logged.id, serviceDate: "2026-04-11", minutes: 25, interactive: true, note: "Called about the cuff" };

    await expect(updateCareTime(change, { userId: ben.id, role: "coordinator" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await updateCareTime(change, { userId: ana.id, role: "clinician" })).toEqual({ patientId: patient.id, previousMinutes: 12 });
    expect(await totals()).toEqual([["2026-04", 25, 1]]);
    const april = await monthCareTime(patient.id, "2026-04");
    expect(april.entries).toMatchObject([{ id: logged.id, minutes: 25, interactive: true, note: "Called about the cuff", staffName: "Ana Ortiz" }]);
    expect(april.billing.firstCodeMet).toBe(true);

    // An admin moves it into May; a removed entry can no longer be corrected.
    await updateCareTime({ ...change, serviceDate: "2026-05-02", note: "" }, { userId: ben.id, role: "admin" });
    expect(await totals()).toEqual([
      ["2026-04", 0, 0],
      ["2026-05", 25, 1],
    ]);
    expect((await db.careTimeEntry.findUniqueOrThrow({ where: { id: logged.id } })).note).toBeNull();
    await removeCareTime(logged.id, { userId: ana.id, role: "clinician" });
    await expect(updateCareTime(change, { userId: ana.id, role: "clinician" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is refused for an offboarded or unknown patient", async () => {
    const staff = await createStaffMember("Dee");
    const gone = await createPatient({ status: "offboarded", offboardedAt: new Date() });
    await expect(logCareTime(entry(gone.id, "2026-03-03", 5), staff.id)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(logCareTime(entry("no-such-patient", "2026-03-03", 5), staff.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("dates an entry by the patient's own calendar", () => {
    const lateEvening = new Date("2026-03-01T04:30:00Z");
    expect(dateIn("America/New_York", lateEvening)).toBe("2026-02-28");
    expect(dateIn("Europe/Berlin", lateEvening)).toBe("2026-03-01");
  });
});
