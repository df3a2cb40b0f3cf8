import { describe, expect, it } from "vitest";

import { db } from "@/lib/db";
import { careManagerSelectOptions, listCareManagerOptions } from "@/lib/patients/care-managers";
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
