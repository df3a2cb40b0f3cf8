"use server";

import { authActionClient } from "@/lib/actions/safe-action";
import { deviceContextFor } from "@/lib/devices/context";
import { offboardPatient } from "@/lib/devices/disconnect";
import { offboardPatientSchema } from "@/lib/devices/schemas";

// Offboards a patient (admin): every device disconnected at every vendor, then the patient leaves the program.
// A partial failure is a result, not an error: each device's outcome comes back and the call can be repeated.
export const offboardPatientAction = authActionClient
  .metadata({ action: "patient.offboard", permission: "patient.offboard" })
  .inputSchema(offboardPatientSchema)
  .action(async ({ parsedInput, ctx }) => {
    const result = await offboardPatient(deviceContextFor(ctx), parsedInput);
    const failed = result.results.filter((r) => r.outcome === "failed").length;
    Object.assign(ctx.audit, {
      type: "patient",
      id: parsedInput.patientId,
      patientId: parsedInput.patientId,
      details: { isOffboarded: result.isOffboarded, devices: result.results.length, failed },
    });
    return result;
  });
