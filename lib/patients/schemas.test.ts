import { describe, expect, it } from "vitest";

import {
  enrolPatientSchema,
  MAX_AGE_YEARS,
  formatUsPhone,
  normalizeUsPhone,
  normalizeZip,
  toIsoDate,
  updatePatientSchema,
  type PatientFieldsInput,
} from "@/lib/patients/schemas";

const DAY = 86_400_000;
const daysAgo = (n: number) => toIsoDate(new Date(Date.now() - n * DAY));
const yearsAgo = (years: number, extraDays = 0) => {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return toIsoDate(new Date(date.getTime() + extraDays * DAY));
};

const VALID: PatientFieldsInput = {
  mrn: "MRN-100001",
  firstName: "Maria",
  lastName: "Garcia",
  dateOfBirth: "1950-04-23",
  phone: "(614) 555-0123",
  email: "",
  addressLine1: "12 Main Street",
  addressLine2: "",
  city: "Columbus",
  state: "OH",
  zipCode: "43215",
  physician: "Dr. Patel",
  timeZone: "America/New_York",
  smsConsent: true,
};

type Case = { field: keyof PatientFieldsInput; value: unknown; stored?: unknown; error?: RegExp };

// Each row changes one field of a valid enrolment: either it is stored as `stored`, or refused on that field with `error`.
const CASES: Case[] = [
  { field: "mrn", value: "MRN-100001", stored: "MRN-100001" },
  { field: "mrn", value: "  mrn-77a1 ", stored: "MRN-77A1" },
  { field: "mrn", value: "12345678901234567890", stored: "12345678901234567890" },
  { field: "mrn", value: "MR1", error: /4–20 letters/ },
  { field: "mrn", value: "-MRN1", error: /4–20 letters/ },
  { field: "mrn", value: "MRN 1001", error: /4–20 letters/ },
  { field: "mrn", value: "MRN_1001", error: /4–20 letters/ },
  { field: "mrn", value: "123456789012345678901", error: /4–20 letters/ },
  { field: "firstName", value: "  María José ", stored: "María José" },
  { field: "lastName", value: "O'Brien-Smith", stored: "O'Brien-Smith" },
  { field: "lastName", value: "St. John", stored: "St. John" },
  { field: "lastName", value: "Nguyễn", stored: "Nguyễn" },
  { field: "firstName", value: "   ", error: /Enter the first name/ },
  { field: "lastName", value: "J0nes", error: /letters, spaces/ },
  { field: "lastName", value: "<b>Smith</b>", error: /letters, spaces/ },
  { field: "firstName", value: "A".repeat(61), error: /at most 60/ },
  { field: "dateOfBirth", value: "1950-04-23", stored: new Date("1950-04-23T00:00:00.000Z") },
  { field: "dateOfBirth", value: daysAgo(1), stored: new Date(`${daysAgo(1)}T00:00:00.000Z`) },
  { field: "dateOfBirth", value: daysAgo(0), error: /in the past/ },
  { field: "dateOfBirth", value: daysAgo(-1), error: /in the past/ },
  { field: "dateOfBirth", value: yearsAgo(MAX_AGE_YEARS), stored: new Date(`${yearsAgo(MAX_AGE_YEARS)}T00:00:00.000Z`) },
  { field: "dateOfBirth", value: yearsAgo(MAX_AGE_YEARS, -1), error: /older than 120/ },
  { field: "dateOfBirth", value: "1950-02-30", error: /as a date/ },
  { field: "dateOfBirth", value: "04/23/1950", error: /as a date/ },
  { field: "dateOfBirth", value: "", error: /as a date/ },
  { field: "phone", value: "(614) 555-0123", stored: "6145550123" },
  { field: "phone", value: "+1 614.555.0123", stored: "6145550123" },
  { field: "phone", value: "16145550123", stored: "6145550123" },
  { field: "phone", value: "555-0123", error: /10-digit US phone/ },
  { field: "phone", value: "014 555 0123", error: /10-digit US phone/ },
  { field: "phone", value: "614 155 0123", error: /10-digit US phone/ },
  { field: "phone", value: "+44 20 7946 0958", error: /10-digit US phone/ },
  { field: "phone", value: "", error: /10-digit US phone/ },
  { field: "email", value: "", stored: null },
  { field: "email", value: undefined, stored: null },
  { field: "email", value: "  Maria.Garcia@Example.ORG ", stored: "maria.garcia@example.org" },
  { field: "email", value: "maria@", error: /valid email/ },
  { field: "addressLine1", value: " ", error: /street address/ },
  { field: "addressLine2", value: "  ", stored: null },
  { field: "addressLine2", value: "Apt 4", stored: "Apt 4" },
  { field: "city", value: "", error: /Enter the city/ },
  { field: "state", value: "oh", stored: "OH" },
  { field: "state", value: "PR", stored: "PR" },
  { field: "state", value: "Ohio", error: /US state/ },
  { field: "state", value: "XX", error: /US state/ },
  { field: "zipCode", value: "43215", stored: "43215" },
  { field: "zipCode", value: "43215-1234", stored: "43215-1234" },
  { field: "zipCode", value: "432151234", stored: "43215-1234" },
  { field: "zipCode", value: "4321", error: /5-digit ZIP/ },
  { field: "zipCode", value: "43215-12", error: /5-digit ZIP/ },
  { field: "zipCode", value: "ABCDE", error: /5-digit ZIP/ },
  { field: "physician", value: "", error: /ordering physician/ },
  { field: "timeZone", value: "America/Los_Angeles", stored: "America/Los_Angeles" },
  { field: "timeZone", value: "Pacific/Honolulu", stored: "Pacific/Honolulu" },
  { field: "timeZone", value: "Mars/Olympus_Mons", error: /time zone/ },
  { field: "timeZone", value: "", error: /time zone/ },
  { field: "smsConsent", value: false, stored: false },
];

describe("enrolPatientSchema", () => {
  it.each(CASES.map((c) => [c.field, JSON.stringify(c.value) ?? "undefined", c] as const))("%s = %s", (_field, _label, c) => {
    const result = enrolPatientSchema.safeParse({ ...VALID, [c.field]: c.value });
    if (c.error) {
      expect(result.success).toBe(false);
      const issues = result.error?.issues ?? [];
      expect(issues.map((i) => i.path[0])).toEqual([c.field]);
      expect(issues[0]?.message).toMatch(c.error);
    } else {
      expect(result.error?.issues).toBeUndefined();
      expect(result.data?.[c.field]).toEqual(c.stored);
    }
  });

  it("reports every invalid field at once, so the form can mark them all", () => {
    const result = enrolPatientSchema.safeParse({ ...VALID, mrn: "x", phone: "12", zipCode: "1", state: "" });
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(["mrn", "phone", "state", "zipCode"]);
  });

  it("needs smsConsent as a boolean, not a checkbox string", () => {
    expect(enrolPatientSchema.safeParse({ ...VALID, smsConsent: "on" }).success).toBe(false);
  });
});

describe("updatePatientSchema", () => {
  it("also needs the patient and the version the form was opened on", () => {
    expect(
      updatePatientSchema
        .safeParse(VALID)
        .error?.issues.map((i) => i.path[0])
        .sort(),
    ).toEqual(["expectedUpdatedAt", "patientId"]);
    expect(updatePatientSchema.safeParse({ ...VALID, patientId: "p1", expectedUpdatedAt: "2026-01-01T00:00:00.000Z" }).success).toBe(true);
  });
});

describe.each([
  ["6145550123", "6145550123"],
  ["1-614-555-0123", "6145550123"],
  ["614-555-012", null],
  ["26145550123", null],
  ["1145550123", null],
])("normalizeUsPhone(%s)", (input, output) => {
  it(`is ${output}`, () => expect(normalizeUsPhone(input)).toBe(output));
});

describe.each([
  ["6145550123", "(614) 555-0123"],
  ["+44 20 7946 0958", "+44 20 7946 0958"],
])("formatUsPhone(%s)", (input, output) => {
  it(`is ${output}`, () => expect(formatUsPhone(input)).toBe(output));
});

describe.each([
  ["43215", "43215"],
  [" 43215-0001 ", "43215-0001"],
  ["4321", null],
  ["43215 1234", null],
])("normalizeZip(%s)", (input, output) => {
  it(`is ${output}`, () => expect(normalizeZip(input)).toBe(output));
});
