import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { enrolPatient, updatePatient } from "@/lib/patients/records";
import { enrolPatientSchema, updatePatientSchema, type PatientFieldsInput } from "@/lib/patients/schemas";
import { createStaff } from "@/tests/factories";

const uniqueMrn = () => `T-${randomBytes(5).toString("hex").toUpperCase()}`;

function form(overrides: Partial<PatientFieldsInput> = {}): PatientFieldsInput {
  return {
    mrn: uniqueMrn(),
    firstName: "Linda",
    lastName: "Okafor",
    dateOfBirth: "1948-11-02",
    phone: "(512) 555-0147",
    email: "",
    addressLine1: "400 Congress Ave",
    addressLine2: "",
    city: "Austin",
    state: "tx",
    zipCode: "78701",
    physician: "Dr. Chen",
    timeZone: "America/Chicago",
    smsConsent: false,
    ...overrides,
  };
}

const enrol = (overrides: Partial<PatientFieldsInput> = {}) => enrolPatient(enrolPatientSchema.parse(form(overrides)));

async function stored(id: string) {
  return db.patient.findUniqueOrThrow({ where: { id }, omit: { phone: false, dateOfBirth: false } });
}

async function edit(id: string, changes: Partial<PatientFieldsInput>, expectedUpdatedAt?: string) {
  const current = await stored(id);
  const input = {
    mrn: current.mrn,
    firstName: current.firstName,
    lastName: current.lastName,
    dateOfBirth: current.dateOfBirth.toISOString().slice(0, 10),
    phone: current.phone ?? "",
    email: current.email ?? "",
    addressLine1: current.addressLine1 ?? "",
    addressLine2: current.addressLine2 ?? "",
    city: current.city ?? "",
    state: current.state ?? "",
    zipCode: current.zipCode ?? "",
    physician: current.physician ?? "",
    careManagerId: current.careManagerId ?? "",
    timeZone: current.timeZone,
    smsConsent: current.smsConsent,
    ...changes,
    patientId: id,
    expectedUpdatedAt: expectedUpdatedAt ?? current.updatedAt.toISOString(),
  };
  return updatePatient(updatePatientSchema.parse(input));
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe("enrolPatient", () => {
  it("stores the normalised demographics as an enrolled patient", async () => {
    const mrn = uniqueMrn();
    const { id } = await enrol({ mrn: mrn.toLowerCase(), email: " L.Okafor@Example.org", addressLine2: "Suite 5", smsConsent: true });
    const patient = await stored(id);
    expect(patient).toMatchObject({
      mrn,
      firstName: "Linda",
      lastName: "Okafor",
      dateOfBirth: new Date("1948-11-02T00:00:00.000Z"),
      phone: "5125550147",
      email: "l.okafor@example.org",
      addressLine2: "Suite 5",
      state: "TX",
      zipCode: "78701",
      timeZone: "America/Chicago",
      smsConsent: true,
      status: "enrolled",
      offboardedAt: null,
    });
  });

  it("refuses a duplicate MRN as an error on the MRN field, whatever its case", async () => {
    const mrn = uniqueMrn();
    await enrol({ mrn });
    const error = await refusal(enrol({ mrn: mrn.toLowerCase(), firstName: "Other" }));
    expect(error.code).toBe("CONFLICT");
    expect(error.details).toEqual({ field: "mrn" });
    expect(error.message).toBe(`Another patient already has MRN ${mrn}.`);
    expect(await db.patient.count({ where: { mrn } })).toBe(1);
  });

  it("lets exactly one of two simultaneous enrolments with the same MRN through", async () => {
    const mrn = uniqueMrn();
    const results = await Promise.allSettled([enrol({ mrn }), enrol({ mrn }), enrol({ mrn })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT", details: { field: "mrn" } });
  });
});

describe("updatePatient", () => {
  it("changes the submitted demographics and reports which fields changed", async () => {
    const { id } = await enrol();
    const result = await edit(id, { phone: "512 555 0199", city: "Round Rock", zipCode: "78664-1234", smsConsent: true });
    expect(result.changed.sort()).toEqual(["city", "phone", "smsConsent", "zipCode"]);
    expect(await stored(id)).toMatchObject({ phone: "5125550199", city: "Round Rock", zipCode: "78664-1234", smsConsent: true, firstName: "Linda" });
  });

  it("bumps nothing else: program status, dates, devices and other patients stay as they were", async () => {
    const { id } = await enrol();
    const other = await enrol();
    const offboardedAt = new Date("2026-01-05T10:00:00.000Z");
    await db.patient.update({ where: { id }, data: { status: "offboarded", offboardedAt } });
    const device = await db.device.create({
      data: { vendor: "validic", category: "glucometer", connectivity: "cellular", vendorType: "blood_glucose", patientId: id, lifecycle: "active" },
    });
    const before = await stored(id);
    const otherBefore = await stored(other.id);
    await edit(id, { lastName: "Okafor-Reed" });
    const after = await stored(id);
    expect(after).toMatchObject({ status: "offboarded", offboardedAt, enrolledAt: before.enrolledAt, createdAt: before.createdAt, lastName: "Okafor-Reed" });
    expect(await db.device.findUniqueOrThrow({ where: { id: device.id } })).toEqual(device);
    expect(await stored(other.id)).toEqual(otherBefore);
  });

  it("writes nothing when no field changed", async () => {
    const { id } = await enrol();
    const before = await stored(id);
    const result = await edit(id, { state: "TX", phone: "5125550147" });
    expect(result.changed).toEqual([]);
    expect((await stored(id)).updatedAt).toEqual(before.updatedAt);
  });

  it("refuses an edit made on a form opened before someone else's change", async () => {
    const { id } = await enrol();
    const opened = (await stored(id)).updatedAt.toISOString();
    await edit(id, { city: "Dallas" });
    const error = await refusal(edit(id, { city: "Houston" }, opened));
    expect(error.code).toBe("CONFLICT");
    expect(error.details).toBeUndefined();
    expect((await stored(id)).city).toBe("Dallas");
  });

  it("refuses an MRN that belongs to another patient, and allows keeping its own", async () => {
    const first = await enrol();
    const second = await enrol();
    const taken = (await stored(first.id)).mrn;
    const error = await refusal(edit(second.id, { mrn: taken }));
    expect(error).toMatchObject({ code: "CONFLICT", details: { field: "mrn" } });
    const renamed = uniqueMrn();
    expect((await edit(second.id, { mrn: renamed })).changed).toEqual(["mrn"]);
    expect((await stored(second.id)).mrn).toBe(renamed);
  });

  it("answers NOT_FOUND for a patient that does not exist", async () => {
    const error = await refusal(
      updatePatient(updatePatientSchema.parse({ ...form(), patientId: "no-such-patient", expectedUpdatedAt: new Date().toISOString() })),
    );
    expect(error.code).toBe("NOT_FOUND");
  });
});

describe("care manager", () => {
  it("enrols with an active staff member as care manager, or none", async () => {
    const coordinator = await createStaff("coordinator");
    const managed = await enrol({ careManagerId: coordinator.id });
    expect((await stored(managed.id)).careManagerId).toBe(coordinator.id);
    const unmanaged = await enrol({ careManagerId: "" });
    expect((await stored(unmanaged.id)).careManagerId).toBeNull();
  });

  it("refuses a deactivated or unknown account as a new care manager, on the care manager field", async () => {
    const gone = await createStaff("clinician", { isActive: false });
    for (const careManagerId of [gone.id, "no-such-user"]) {
      const error = await refusal(enrol({ careManagerId }));
      expect(error).toMatchObject({ code: "CONFLICT", details: { field: "careManagerId" } });
    }
    const { id } = await enrol();
    const error = await refusal(edit(id, { careManagerId: gone.id }));
    expect(error).toMatchObject({ code: "CONFLICT", details: { field: "careManagerId" } });
    expect((await stored(id)).careManagerId).toBeNull();
  });

  it("changes and clears the care manager, and keeps a since-deactivated one through other edits", async () => {
    const first = await createStaff("clinician");
    const second = await createStaff("coordinator");
    const { id } = await enrol({ careManagerId: first.id });
    expect((await edit(id, { careManagerId: second.id })).changed).toEqual(["careManagerId"]);
    await db.user.update({ where: { id: second.id }, data: { isActive: false } });
    expect((await edit(id, { city: "Dallas" })).changed).toEqual(["city"]);
    expect((await stored(id)).careManagerId).toBe(second.id);
    expect((await edit(id, { careManagerId: "" })).changed).toEqual(["careManagerId"]);
    expect((await stored(id)).careManagerId).toBeNull();
  });
});
