import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { PatientForm } from "@/components/patients/patient-form";
import { Card, CardContent } from "@/components/ui/card";
import { requirePageAccess } from "@/lib/auth";
import { careManagerSelectOptions } from "@/lib/patients/care-managers";
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
  careManagerId: "",
  timeZone: DEFAULT_TIME_ZONE,
  smsConsent: false,
};

export default async function EnrolPatientPage() {
  await requirePageAccess("patient.write");
  const careManagers = await careManagerSelectOptions();
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <PageHeader
        title="Enrol patient"
        trail={[{ href: "/patients", label: "Patients" }]}
        description="Add a patient to remote monitoring. Devices are assigned from the patient's page afterwards."
      />
      <Card>
        <CardContent className="pt-6">
          <PatientForm mode="enrol" initial={EMPTY} careManagers={careManagers} />
        </CardContent>
      </Card>
    </div>
  );
}
