import { z } from "zod";

// How long an emergency (break-glass) grant lasts.
export const BREAK_GLASS_MINUTES = 60;
// Bounds of the written reason: long enough to say why, short enough to stay a justification.
export const BREAK_GLASS_REASON_MIN = 20;
export const BREAK_GLASS_REASON_MAX = 500;

// A break-glass request: which patient (by id when coming from a link, or by MRN typed in) and why.
export const emergencyAccessSchema = z
  .object({
    patientId: z.string().trim().min(1).max(64).optional(),
    mrn: z.string().trim().min(1, "Enter the patient's MRN.").max(64).optional(),
    reason: z
      .string()
      .trim()
      .min(BREAK_GLASS_REASON_MIN, `Explain the emergency in at least ${BREAK_GLASS_REASON_MIN} characters.`)
      .max(BREAK_GLASS_REASON_MAX, `Keep the reason under ${BREAK_GLASS_REASON_MAX} characters.`),
  })
  .refine((input) => Boolean(input.patientId || input.mrn), { message: "Enter the patient's MRN.", path: ["mrn"] });

// A validated break-glass request.
export type EmergencyAccessInput = z.infer<typeof emergencyAccessSchema>;
