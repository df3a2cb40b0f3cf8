"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { rethrowAsFieldError } from "@/lib/forms/field-errors";
import { updatePatient } from "@/lib/patients/records";
import { updatePatientSchema } from "@/lib/patients/schemas";

// Saves changes to a patient's demographics and care manager; the audit event lists which fields changed, never their values.
export const updatePatientAction = authActionClient
  .metadata({ action: "patient.update", permission: "patient.write" })
  .inputSchema(updatePatientSchema)
  .action(async ({ parsedInput, ctx }) => {
    Object.assign(ctx.audit, { type: "patient", id: parsedInput.patientId, patientId: parsedInput.patientId });
    const result = await updatePatient(parsedInput).catch((error: unknown) => rethrowAsFieldError(updatePatientSchema, error));
    ctx.audit.details = { changed: result.changed.join(",") || "nothing" };
    return { id: result.id, changed: result.changed };
  });
