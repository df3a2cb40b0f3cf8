import { describe, expect, it } from "vitest";

import { fullName, listName, patientLabel } from "@/lib/patients/names";

describe("patient names", () => {
  const patient = { firstName: "Ana", lastName: "Garcia", mrn: "MRN-00042" };

  it("reads first name first in a heading or a sentence", () => {
    expect(fullName(patient)).toBe("Ana Garcia");
  });

  it("files the family name first", () => {
    expect(listName(patient)).toBe("Garcia, Ana");
  });

  it("adds the MRN where two patients could share a name", () => {
    expect(patientLabel(patient)).toBe("Garcia, Ana (MRN-00042)");
  });
});
