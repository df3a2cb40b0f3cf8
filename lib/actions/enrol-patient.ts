"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { rethrowAsFieldError } from "@/lib/forms/field-errors";
import { enrolPatient } from "@/lib/patients/records";
import { enrolPatientSchema } from "@/lib/patients/schemas";

// Enrols a patient in remote monitoring; a duplicate MRN comes back as an error on the MRN field.
export const enrolPatientAction = authActionClient
  .metadata({ action: "patient.enrol", permission: "patient.write" })
  .inputSchema(enrolPatientSchema)
  .action(async ({ parsedInput, ctx }) => {
    const patient = await enrolPatient(parsedInput).catch((error: unknown) => rethrowAsFieldError(enrolPatientSchema, error));
    Object.assign(ctx.audit, { type: "patient", id: patient.id, patientId: patient.id });
    return { id: patient.id };
  });
