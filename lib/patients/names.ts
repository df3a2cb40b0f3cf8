// How staff see a patient named: in lists and messages family name first, as charts file them.
type Named = { firstName: string; lastName: string };

// "Ana Garcia": a patient named in a heading or a sentence.
export function fullName(patient: Named): string {
  return `${patient.firstName} ${patient.lastName}`;
}

// "Garcia, Ana".
export function listName(patient: Named): string {
  return `${patient.lastName}, ${patient.firstName}`;
}

// "Garcia, Ana (MRN-00042)": where two patients could share a name.
export function patientLabel(patient: Named & { mrn: string }): string {
  return `${listName(patient)} (${patient.mrn})`;
}
