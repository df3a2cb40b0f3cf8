import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { PageHeader } from "@/components/layout/page-header";
import { PatientForm } from "@/components/patients/patient-form";
import { Card, CardContent } from "@/components/ui/card";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { db } from "@/lib/db";
import { careManagerSelectOptions } from "@/lib/patients/care-managers";
import { fullName } from "@/lib/patients/names";
import { toIsoDate } from "@/lib/patients/schemas";

export const metadata: Metadata = { title: "Edit patient" };

export default async function EditPatientPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageAccess("patient.write");
  const { id } = await params;
  // The form shows the phone and date of birth so they can be corrected.
  const patient = await db.patient.findUnique({ where: { id }, omit: { phone: false, dateOfBirth: false } });
  if (!patient) notFound();
  await recordAudit({
    actor: { id: session.userId, role: session.role },
    action: "patient.view",
    outcome: "success",
    targetType: "patient",
    targetId: patient.id,
    patientId: patient.id,
    details: { purpose: "edit" },
  });
  const initial = {
    mrn: patient.mrn,
    firstName: patient.firstName,
    lastName: patient.lastName,
    dateOfBirth: toIsoDate(patient.dateOfBirth),
    phone: patient.phone ?? "",
    email: patient.email ?? "",
    addressLine1: patient.addressLine1 ?? "",
    addressLine2: patient.addressLine2 ?? "",
    city: patient.city ?? "",
    state: patient.state ?? "",
    zipCode: patient.zipCode ?? "",
    physician: patient.physician ?? "",
    careManagerId: patient.careManagerId ?? "",
    timeZone: patient.timeZone,
    smsConsent: patient.smsConsent,
  };
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <PageHeader
        title={`Edit ${fullName(patient)}`}
        trail={[
          { href: "/patients", label: "Patients" },
          { href: `/patients/${patient.id}`, label: fullName(patient) },
        ]}
        description="Changes apply to this record only; devices, readings and alerts stay as they are."
      />
      <Card>
        <CardContent className="pt-6">
          <PatientForm
            mode="edit"
            initial={initial}
            careManagers={await careManagerSelectOptions({ currentId: patient.careManagerId })}
            patientId={patient.id}
            expectedUpdatedAt={patient.updatedAt.toISOString()}
          />
        </CardContent>
      </Card>
    </div>
  );
}
