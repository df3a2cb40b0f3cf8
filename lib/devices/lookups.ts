import { db } from "@/lib/db";
import { SMARTZ_POD } from "@/lib/devices/catalog";
import type { DeviceVendorClients } from "@/lib/devices/context";
import { ENDED_LIFECYCLES } from "@/lib/devices/lifecycle";
import { normalizeImei } from "@/lib/devices/schemas";
import { patientLabel } from "@/lib/patients/names";
import { connectivityOf } from "@/lib/vendors/tenovi/device-catalog";
import { imeiProblem } from "@/lib/vendors/validic/imei";

// Reads behind the device dialogs: what can be chosen, and whether an IMEI is already in use.

// An IMEI as typed or scanned: normalized, what is wrong with it, and who has it now.
export type ImeiCheck = { imei: string; problem: string | null; assignedTo: { patientId: string; label: string } | null };

// Checks an IMEI for the assign dialog: format and Luhn digit, then any live device that already carries it.
export async function checkImei(raw: string): Promise<ImeiCheck> {
  const imei = normalizeImei(raw);
  const problem = imeiProblem(imei);
  if (problem) return { imei, problem, assignedTo: null };
  const device = await db.device.findFirst({
    where: { imei, patientId: { not: null }, lifecycle: { notIn: [...ENDED_LIFECYCLES] } },
    select: { patient: { select: { id: true, firstName: true, lastName: true, mrn: true } } },
  });
  return { imei, problem: null, assignedTo: device?.patient ? { patientId: device.patient.id, label: patientLabel(device.patient) } : null };
}

// The Tenovi device types of the account (each with how it connects) and the gateways at this patient's home.
export async function tenoviOptions(clients: DeviceVendorClients, patientId: string) {
  const [types, gateways] = await Promise.all([
    clients.tenovi.deviceTypes(),
    db.gateway.findMany({ where: { patientId, vendor: "tenovi" }, select: { gatewayUuid: true }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    deviceTypes: types.map((type) => ({ name: type.name, connectivity: connectivityOf(type.name) })),
    gateways: gateways.map((g) => g.gatewayUuid),
  };
}

// The organisation's Smartz pods, with any patient Pulseboard has linked each one to.
export async function smartzPodOptions(clients: DeviceVendorClients) {
  const pods = await clients.smartz.listDevices({ type: "pod" });
  const linked = await db.device.findMany({
    where: { vendor: "smartz", vendorType: SMARTZ_POD.vendorType, vendorDeviceId: { in: pods.map((p) => p.id) }, patientId: { not: null }, lifecycle: { notIn: [...ENDED_LIFECYCLES] } },
    select: { vendorDeviceId: true, patient: { select: { firstName: true, lastName: true, mrn: true } } },
  });
  const holders = new Map(linked.map((d) => [d.vendorDeviceId, d.patient ? patientLabel(d.patient) : null]));
  return { pods: pods.map((pod) => ({ id: pod.id, serialNumber: pod.serialNumber, status: pod.status ?? null, linkedTo: holders.get(pod.id) ?? null })) };
}

// Enrolled patients matching a name or MRN, for "Move to another patient".
export async function findMoveTargets(query: string, excludePatientId: string | undefined) {
  const q = query.trim();
  const patients = await db.patient.findMany({
    where: {
      status: "enrolled",
      ...(excludePatientId ? { id: { not: excludePatientId } } : {}),
      ...(q
        ? { OR: [{ lastName: { contains: q, mode: "insensitive" } }, { firstName: { contains: q, mode: "insensitive" } }, { mrn: { contains: q, mode: "insensitive" } }] }
        : {}),
    },
    select: { id: true, firstName: true, lastName: true, mrn: true },
    orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
    take: 10,
  });
  return { patients: patients.map((p) => ({ id: p.id, label: patientLabel(p) })) };
}
