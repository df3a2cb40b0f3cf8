import { z } from "zod";

// The 50 states, DC and the inhabited territories, as USPS abbreviates them.
// prettier-ignore
export const US_STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
  "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
  "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI",
] as const;

// Every IANA time zone this runtime knows; a patient's readings are shown in theirs.
export const TIME_ZONES: readonly string[] = Intl.supportedValuesOf("timeZone");

export const DEFAULT_TIME_ZONE = "America/New_York";

// A person can be this old at most; an earlier date of birth is a typo.
export const MAX_AGE_YEARS = 120;

// ASSUMPTION: clinic MRNs are 4–20 letters, digits and hyphens (the demo clinic uses "MRN-100001"); stored upper-case.
const MRN_PATTERN = /^[A-Z0-9][A-Z0-9-]{3,19}$/;
// Letters from any script, with the spaces, apostrophes, hyphens and periods real names contain.
const NAME_PATTERN = /^\p{L}[\p{L}\p{M}' .-]*$/u;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Digits only; a leading US country code 1 is dropped. Answers null when the result is not a valid US number.
export function normalizeUsPhone(value: string): string | null {
  const digits = value.replace(/\D/g, "");
  const national = digits.length === 11 && digits.startsWith("1") ? digits.slice(1) : digits;
  // NANP: neither the area code nor the exchange starts with 0 or 1.
  return /^[2-9]\d{2}[2-9]\d{6}$/.test(national) ? national : null;
}

// A stored number as people read it, "(614) 555-0123"; anything but ten digits is shown as stored.
export function formatUsPhone(stored: string): string {
  const parts = /^(\d{3})(\d{3})(\d{4})$/.exec(stored);
  return parts ? `(${parts[1]}) ${parts[2]}-${parts[3]}` : stored;
}

// "12345" or "12345-6789" (also accepted without the hyphen).
export function normalizeZip(value: string): string | null {
  const match = /^(\d{5})(?:-?(\d{4}))?$/.exec(value.trim());
  if (!match) return null;
  return match[2] ? `${match[1]}-${match[2]}` : (match[1] ?? null);
}

// A calendar date as YYYY-MM-DD in UTC, the way date-of-birth columns are stored.
export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseIsoDate(value: string): Date | null {
  if (!ISO_DATE.test(value)) return null;
  const date = new Date(`${value}T00:00:00.000Z`);
  // Rejects dates JavaScript would roll over, e.g. 2021-02-30.
  return Number.isNaN(date.getTime()) || toIsoDate(date) !== value ? null : date;
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Use at most ${max} characters.`)
    .optional()
    .transform((v) => (v ? v : null));

const personName = (label: string) =>
  z
    .string()
    .trim()
    .min(1, { message: `Enter the ${label}.`, abort: true })
    .max(60, `Use at most 60 characters for the ${label}.`)
    .regex(NAME_PATTERN, `The ${label} can use letters, spaces, apostrophes, hyphens and periods.`);

// The patient's demographics as the enrol and edit forms send them; the output is what the database stores.
export const patientFieldsSchema = z.object({
  mrn: z.string().trim().toUpperCase().regex(MRN_PATTERN, "Use 4–20 letters, digits or hyphens, e.g. MRN-100001."),
  firstName: personName("first name"),
  lastName: personName("last name"),
  dateOfBirth: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const date = parseIsoDate(value);
      if (!date) {
        ctx.addIssue({ code: "custom", message: "Enter the date of birth as a date, e.g. 1950-04-23." });
        return z.NEVER;
      }
      return date;
    })
    .refine((date) => toIsoDate(date) < toIsoDate(new Date()), "The date of birth must be in the past.")
    .refine((date) => {
      const oldest = new Date();
      oldest.setUTCFullYear(oldest.getUTCFullYear() - MAX_AGE_YEARS);
      return toIsoDate(date) >= toIsoDate(oldest);
    }, `Check the year: that would make the patient older than ${MAX_AGE_YEARS}.`),
  phone: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const phone = normalizeUsPhone(value);
      if (!phone) {
        ctx.addIssue({ code: "custom", message: "Enter a 10-digit US phone number, e.g. (614) 555-0123." });
        return z.NEVER;
      }
      return phone;
    }),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254)
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email("Enter a valid email address, or leave it empty.").nullable()),
  addressLine1: z.string().trim().min(1, "Enter the street address devices ship to.").max(120, "Use at most 120 characters."),
  addressLine2: optionalText(120),
  city: z.string().trim().min(1, "Enter the city.").max(80, "Use at most 80 characters."),
  state: z.string().trim().toUpperCase().pipe(z.enum(US_STATES, "Choose a US state (two letters).")),
  zipCode: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const zip = normalizeZip(value);
      if (!zip) {
        ctx.addIssue({ code: "custom", message: "Enter a 5-digit ZIP code, or ZIP+4 (12345-6789)." });
        return z.NEVER;
      }
      return zip;
    }),
  physician: z.string().trim().min(2, "Enter the ordering physician.").max(120, "Use at most 120 characters."),
  // A staff account's id; empty for none. That it is an active account is checked on the server.
  careManagerId: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((v) => (v ? v : null)),
  timeZone: z.string().refine((tz) => TIME_ZONES.includes(tz), "Choose a time zone from the list."),
  smsConsent: z.boolean(),
});

// Enrolment: the demographics of a new patient.
export const enrolPatientSchema = patientFieldsSchema;

// An edit: the patient, the version the form was opened on (so a concurrent change is not overwritten), and the fields.
export const updatePatientSchema = patientFieldsSchema.extend({
  patientId: z.string().min(1).max(64),
  expectedUpdatedAt: z.iso.datetime(),
});

// How many patients one bulk assignment may change: a page of the patient list at its largest.
export const MAX_BULK_PATIENTS = 100;

// Patients chosen on the list, and the care manager they get (null takes theirs away).
export const assignCareManagerSchema = z.object({
  patientIds: z
    .array(z.string().min(1).max(64))
    .min(1, "Choose at least one patient.")
    .max(MAX_BULK_PATIENTS, `Choose at most ${MAX_BULK_PATIENTS} patients at a time.`)
    .transform((ids) => [...new Set(ids)]),
  careManagerId: z.string().min(1).max(64).nullable(),
});

export type AssignCareManagerInput = z.input<typeof assignCareManagerSchema>;
export type AssignCareManager = z.output<typeof assignCareManagerSchema>;
export type PatientFieldsInput = z.input<typeof patientFieldsSchema>;
export type PatientFields = z.output<typeof patientFieldsSchema>;
export type EnrolPatientInput = z.input<typeof enrolPatientSchema>;
export type UpdatePatientInput = z.input<typeof updatePatientSchema>;
export type UpdatePatient = z.output<typeof updatePatientSchema>;
export type PatientField = keyof PatientFields;
