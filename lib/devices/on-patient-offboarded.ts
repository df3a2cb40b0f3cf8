import { deactivatePatientRules } from "@/lib/alerts/patient-rules";
import type { DbTx } from "@/lib/devices/lifecycle";

// What else happens when a patient leaves the program, in the transaction that marks them offboarded: their alert
// rules stop and their open alerts close; readings, alerts and history are kept.

// The note on alerts closed because their patient left the program.
export const OFFBOARDED_ALERT_NOTE = "Patient offboarded";

// Runs the offboarding follow-ups. Decision: open and acknowledged alerts are resolved with the note "Patient
// offboarded" (they stay in the alert history), so no worklist keeps asking staff to act on someone who has left.
export async function onPatientOffboarded(tx: DbTx, patientId: string, actorId: string | null, at = new Date()): Promise<{ alertsResolved: number; rulesDeactivated: number }> {
  const rulesDeactivated = await deactivatePatientRules(patientId, tx);
  const { count } = await tx.alert.updateMany({
    where: { patientId, status: { not: "resolved" } },
    data: { status: "resolved", resolvedAt: at, resolvedById: actorId, resolutionNote: OFFBOARDED_ALERT_NOTE },
  });
  return { alertsResolved: count, rulesDeactivated };
}
