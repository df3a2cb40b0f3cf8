import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { assignCareManager, careManagerSelectOptions, listCareManagerOptions } from "@/lib/patients/care-managers";
import { assignCareManagerSchema, MAX_BULK_PATIENTS } from "@/lib/patients/schemas";
import { createPatient, createStaff } from "@/tests/factories";

describe("care manager choices", () => {
  it("offers active staff; a deactivated one only as a patient's current manager or, for the filter, while they manage someone", async () => {
    const active = await createStaff("coordinator", { name: "Ama Active" });
    const departedWithPatients = await createStaff("clinician", { name: "Dara Departed", isActive: false });
    const departedAlone = await createStaff("clinician", { name: "Lee Left", isActive: false });
    await createPatient({ careManagerId: departedWithPatients.id });
    const ours = new Set([active.id, departedWithPatients.id, departedAlone.id]);
    const shown = async (also?: Parameters<typeof listCareManagerOptions>[0]) =>
      (await listCareManagerOptions(also)).filter((o) => ours.has(o.id)).map((o) => o.id);

    expect(await shown()).toEqual([active.id]);
    expect(await shown({ currentId: departedAlone.id })).toEqual([active.id, departedAlone.id]);
    expect(await shown({ managingPatients: true })).toEqual([active.id, departedWithPatients.id]);

    const labels = (await careManagerSelectOptions({ managingPatients: true })).filter((o) => ours.has(o.value)).map((o) => o.label);
    expect(labels).toEqual(["Ama Active (Care coordinator)", "Dara Departed (deactivated)"]);
    await db.patient.deleteMany({ where: { careManagerId: departedWithPatients.id } });
    expect(await shown({ managingPatients: true })).toEqual([active.id]);
  });
});

describe("assignCareManager", () => {
  const actor = { id: "bulk-actor", role: "coordinator" };

  it("gives the chosen patients a care manager, changing and auditing only those whose manager differs", async () => {
    const manager = await createStaff("clinician");
    const other = await createStaff("coordinator");
    const [already, fromOther, unmanaged] = [
      await createPatient({ careManagerId: manager.id }),
      await createPatient({ careManagerId: other.id }),
      await createPatient(),
    ];
    const input = assignCareManagerSchema.parse({ patientIds: [already.id, fromOther.id, unmanaged.id, unmanaged.id], careManagerId: manager.id });
    expect(await assignCareManager(actor, input, "req-bulk")).toEqual({ changed: 2 });
    const stored = await db.patient.findMany({ where: { id: { in: [already.id, fromOther.id, unmanaged.id] } }, select: { careManagerId: true } });
    expect(stored.map((p) => p.careManagerId)).toEqual([manager.id, manager.id, manager.id]);
    const events = await db.auditEvent.findMany({ where: { requestId: "req-bulk", action: "patient.care_manager_change" }, orderBy: { targetId: "asc" } });
    expect(events.map((e) => ({ patientId: e.patientId, actorId: e.actorId, details: e.details }))).toEqual(
      [
        { patientId: fromOther.id, actorId: "bulk-actor", details: { from: other.id, to: manager.id } },
        { patientId: unmanaged.id, actorId: "bulk-actor", details: { from: null, to: manager.id } },
      ].sort((a, b) => a.patientId.localeCompare(b.patientId)),
    );
  });

  it("takes the care manager away with null", async () => {
    const manager = await createStaff("clinician");
    const patient = await createPatient({ careManagerId: manager.id });
    expect(await assignCareManager(actor, assignCareManagerSchema.parse({ patientIds: [patient.id], careManagerId: null }))).toEqual({ changed: 1 });
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).careManagerId).toBeNull();
  });

  it("refuses a deactivated manager or an unknown patient, and changes nobody", async () => {
    const gone = await createStaff("clinician", { isActive: false });
    const manager = await createStaff("clinician");
    const patient = await createPatient();
    await expect(assignCareManager(actor, assignCareManagerSchema.parse({ patientIds: [patient.id], careManagerId: gone.id }))).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      assignCareManager(actor, assignCareManagerSchema.parse({ patientIds: [patient.id, "no-such-patient"], careManagerId: manager.id })),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await db.patient.findUniqueOrThrow({ where: { id: patient.id } })).careManagerId).toBeNull();
  });

  it("takes between one and a page's worth of patients", () => {
    expect(assignCareManagerSchema.safeParse({ patientIds: [], careManagerId: null }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_BULK_PATIENTS + 1 }, (_, i) => `p${i}`);
    expect(assignCareManagerSchema.safeParse({ patientIds: tooMany, careManagerId: null }).success).toBe(false);
    expect(assignCareManagerSchema.safeParse({ patientIds: tooMany.slice(1), careManagerId: null }).success).toBe(true);
  });
});
