import { randomUUID } from "node:crypto";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DeviceCategory, DeviceLifecycle } from "@/lib/generated/prisma/enums";

// Test data with unique MRNs and vendor ids, so test files can share one database and run in parallel.
export async function createPatient(overrides: Partial<Prisma.PatientUncheckedCreateInput> = {}) {
  const suffix = randomUUID().slice(0, 8);
  return db.patient.create({
    data: { mrn: `T-${suffix}`, firstName: "Test", lastName: `Patient-${suffix}`, dateOfBirth: new Date("1950-01-01"), enrolledAt: new Date("2020-01-01T00:00:00Z"), ...overrides },
  });
}

export async function createReading(patientId: string | null, overrides: Partial<Prisma.ReadingUncheckedCreateInput> & { measuredAt: Date }) {
  return db.reading.create({
    data: { patientId, vendor: "validic", vendorRecordId: randomUUID(), metric: "blood_pressure", value: 120, value2: 80, unit: "mmHg", arrival: "push", ...overrides },
  });
}

export async function createRule(overrides: Partial<Prisma.AlertRuleUncheckedCreateInput> & Pick<Prisma.AlertRuleUncheckedCreateInput, "kind" | "metric" | "comparator" | "thresholdValue">) {
  return db.alertRule.create({ data: { message: `Test rule ${overrides.metric}`, ...overrides } });
}

export async function createDevice(patientId: string, category: DeviceCategory, lifecycle: DeviceLifecycle = "active") {
  return db.device.create({
    data: { vendor: "validic", category, connectivity: "cellular", vendorType: category, vendorDeviceId: `test-${randomUUID()}`, patientId, lifecycle },
  });
}

export async function createStaff(role: "admin" | "clinician" | "coordinator", overrides: Partial<Prisma.UserUncheckedCreateInput> = {}) {
  const suffix = randomUUID().slice(0, 8);
  return db.user.create({ data: { email: `${suffix}@example.org`, name: `Staff ${suffix}`, role, passwordHash: "x", ...overrides } });
}
