import type { Metadata } from "next";

import { PatientForm } from "@/components/patients/patient-form";
import { Card, CardContent } from "@/components/ui/card";
import { requirePageAccess } from "@/lib/auth";
import { DEFAULT_TIME_ZONE } from "@/lib/patients/schemas";

export const metadata: Metadata = { title: "Enrol patient" };

const EMPTY = {
  mrn: "",
  firstName: "",
  lastName: "",
  dateOfBirth: "",
  phone: "",
  email: "",
  addressLine1: "",
  addressLine2: "",
  city: "",
  state: "",
  zipCode: "",
  physician: "",
  timeZone: DEFAULT_TIME_ZONE,
  smsConsent: false,
};

export default async function EnrolPatientPage() {
  await requirePageAccess("patient.write");
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Enrol patient</h1>
        <p className="text-muted-foreground text-sm">Add a patient to remote monitoring. Devices are assigned from the patient&apos;s page afterwards.</p>
      </div>
      <Card>
        <CardContent className="pt-6">
          <PatientForm mode="enrol" initial={EMPTY} />
        </CardContent>
      </Card>
    </div>
  );
}
