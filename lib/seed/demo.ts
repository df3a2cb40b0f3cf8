import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db";
import type { DeviceCategory, Prisma, Vendor } from "@/lib/generated/prisma/client";
import { createDemoVendors, type DemoStage } from "@/lib/seed/demo-vendors";
import { seededRandom } from "@/lib/seed/random";

export const DEMO_PASSWORD = "pulseboard-demo-2026";
export const DEMO_USERS = [
  { email: "admin@pulseboard.local", name: "Avery Admin", role: "admin" },
  { email: "coordinator@pulseboard.local", name: "Casey Coordinator", role: "coordinator" },
  { email: "clinician@pulseboard.local", name: "Dr. Jordan Clinician", role: "clinician" },
] as const;

const SEED_MARKER = "demo.seededAt";
const PATIENT_COUNT = 36;
const DAY = 86_400_000;

const FIRST_NAMES = ["Maria", "James", "Linda", "Robert", "Patricia", "Michael", "Barbara", "William", "Elizabeth", "David", "Susan", "Joseph", "Dorothy", "Thomas", "Margaret", "Charles", "Ruth", "Daniel"];
const LAST_NAMES = ["Garcia", "Johnson", "Nguyen", "Smith", "Okafor", "Williams", "Brown", "Martinez", "Davis", "Lopez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Lee", "Harris", "Clark"];
const TIME_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];
const CITIES = [["Columbus", "OH", "43215"], ["Austin", "TX", "78701"], ["Denver", "CO", "80202"], ["Sacramento", "CA", "95814"]] as const;

type DeviceSpec = { vendor: Vendor; category: DeviceCategory; vendorType: string; connectivity: "gateway" | "cellular" | "mesh" };
const DEVICE_SPECS: DeviceSpec[] = [
  { vendor: "tenovi", category: "blood_pressure", vendorType: "Tenovi BPM - L", connectivity: "gateway" },
  { vendor: "validic", category: "glucometer", vendorType: "blood_glucose", connectivity: "cellular" },
  { vendor: "tenovi", category: "scale", vendorType: "Tenovi Cellular Scale", connectivity: "cellular" },
  { vendor: "validic", category: "pulse_oximeter", vendorType: "pulse_oximeter", connectivity: "cellular" },
  { vendor: "smartz", category: "smart_diaper", vendorType: "pod", connectivity: "mesh" },
];

// How the demo clinic is seeded.
export type DemoSeedOptions = {
  // Whether seeded active devices at the simulators measure on their own on ticks (default on; the e2e suite turns it
  // off so its counts of seeded patients' readings hold). Devices measure on demand from the Simulation page either way.
  autoReadings?: boolean;
};

type DemoVendors = ReturnType<typeof createDemoVendors>;

// Seeds the demo clinic once: staff logins, patients, devices at all three vendors (and at their simulators, for the
// vendors running against one), shipments, readings, alerts and this month's care time. Returns false when the
// database was already seeded.
export async function seedDemoData(now = new Date(), options: DemoSeedOptions = {}): Promise<boolean> {
  if (await db.clinicSetting.findUnique({ where: { key: SEED_MARKER } })) return false;
  const random = seededRandom(20261122);
  const vendors = createDemoVendors({ autoReadings: options.autoReadings ?? true });
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.user.createMany({ data: DEMO_USERS.map((u) => ({ ...u, passwordHash })), skipDuplicates: true });
  await seedAlertDefaults();
  for (let i = 0; i < PATIENT_COUNT; i++) await seedPatient(i, random, now, vendors);
  const demo = await demoStaffAndPatients();
  await seedCareManagers(demo);
  await seedCareTime(now, demo);
  await db.clinicSetting.create({ data: { key: SEED_MARKER, value: now.toISOString() } });
  return true;
}

async function seedAlertDefaults() {
  const defaults: Prisma.AlertRuleCreateManyInput[] = [
    { kind: "threshold", metric: "blood_pressure", comparator: "greater_than", thresholdValue: 180, severity: "high", message: "Systolic above 180 mmHg" },
    { kind: "threshold", metric: "blood_pressure", comparator: "less_than", thresholdValue: 90, severity: "medium", message: "Systolic below 90 mmHg" },
    { kind: "threshold", metric: "blood_glucose", unit: "mg/dL", comparator: "greater_than", thresholdValue: 300, severity: "high", message: "Glucose above 300 mg/dL" },
    { kind: "threshold", metric: "blood_glucose", unit: "mg/dL", comparator: "less_than", thresholdValue: 70, severity: "critical", message: "Glucose below 70 mg/dL" },
    { kind: "threshold", metric: "spo2", comparator: "less_than", thresholdValue: 90, severity: "high", message: "SpO₂ below 90%" },
    { kind: "change", metric: "body_weight", unit: "kg", comparator: "greater_than", thresholdValue: 2, window: "P2D", severity: "medium", message: "Weight up more than 2 kg in 2 days" },
    { kind: "missing_data", metric: "blood_pressure", comparator: "less_than", thresholdValue: 1, window: "P3D", severity: "low", message: "No blood pressure reading in 3 days" },
  ];
  await db.alertRule.createMany({ data: defaults });
}

type DemoPeople = { staff: { id: string }[]; patients: { id: string }[] };

// The demo clinician and coordinator (who follow patients and log their care time), and the demo patients, in a fixed
// order.
async function demoStaffAndPatients(): Promise<DemoPeople> {
  const staff = await db.user.findMany({ where: { email: { in: ["clinician@pulseboard.local", "coordinator@pulseboard.local"] } }, orderBy: { email: "asc" }, select: { id: true } });
  const patients = await db.patient.findMany({ where: { mrn: { startsWith: "MRN-" } }, orderBy: { mrn: "asc" }, select: { id: true } });
  return { staff, patients };
}

// The demo clinician follows one half of the patients and the coordinator the other; every fifth patient has no care
// manager, so each choice of the patient list's filter lists someone.
async function seedCareManagers({ staff: managers, patients }: DemoPeople) {
  for (const [turn, manager] of managers.entries()) {
    const ids = patients.filter((_, index) => index % 5 !== 4 && index % 2 === turn).map((patient) => patient.id);
    await db.patient.updateMany({ where: { id: { in: ids } }, data: { careManagerId: manager.id } });
  }
}

const CARE_NOTES = ["Reviewed the week's readings", "Called about missed readings", "Went over cuff placement by video", "Coordinated a medication change with the physician"];

// This month's care time for every third patient, one to three entries of 5 to 20 minutes, so the record and the
// report show it. Its own random sequence: the patients' and devices' stay as they were.
async function seedCareTime(now: Date, { staff, patients }: DemoPeople) {
  const random = seededRandom(99457);
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const entries: Prisma.CareTimeEntryCreateManyInput[] = [];
  for (const [index, patient] of patients.entries()) {
    if (index % 3 !== 0) continue;
    for (let n = random.int(1, 3); n > 0; n--) {
      const day = Math.max(monthStart, now.getTime() - random.int(0, 20) * DAY);
      entries.push({
        patientId: patient.id,
        staffId: random.pick(staff).id,
        serviceDate: new Date(new Date(day).toISOString().slice(0, 10)),
        minutes: random.int(5, 20),
        interactive: random.next() < 0.4,
        note: random.pick(CARE_NOTES),
      });
    }
  }
  await db.careTimeEntry.createMany({ data: entries });
}

async function seedPatient(index: number, random: ReturnType<typeof seededRandom>, now: Date, vendors: DemoVendors) {
  const [city, state, zipCode] = random.pick(CITIES);
  const patient = await db.patient.create({
    // The Smartz resident record the demo registers carries the date of birth.
    omit: { dateOfBirth: false },
    data: {
      mrn: `MRN-${String(100001 + index)}`,
      firstName: random.pick(FIRST_NAMES),
      lastName: random.pick(LAST_NAMES),
      dateOfBirth: new Date(Date.UTC(random.int(1938, 1975), random.int(0, 11), random.int(1, 28))),
      phone: `555${String(random.int(1000000, 9999999))}`,
      email: `patient${index + 1}@example.org`,
      addressLine1: `${random.int(10, 9999)} Main Street`,
      city,
      state,
      zipCode,
      physician: random.pick(["Dr. Patel", "Dr. Chen", "Dr. Romero"]),
      timeZone: random.pick(TIME_ZONES),
      smsConsent: random.next() < 0.5,
      enrolledAt: new Date(now.getTime() - random.int(35, 200) * DAY),
    },
  });
  const spec = DEVICE_SPECS[index % DEVICE_SPECS.length] ?? DEVICE_SPECS[0];
  if (!spec) return;
  await seedDevice(patient, index, spec, random, now, vendors);
}

async function seedDevice(
  patient: Parameters<DemoVendors["provision"]>[0]["patient"],
  index: number,
  spec: DeviceSpec,
  random: ReturnType<typeof seededRandom>,
  now: Date,
  vendors: DemoVendors,
) {
  const patientId = patient.id;
  // Most devices measure; some are still in transit and some went quiet, so every worklist has something.
  const stage: DemoStage = index % 9 === 4 ? "shipping" : index % 9 === 7 ? "silent" : "active";
  // The vendor's ids and status are filled in below, once the vendor side exists.
  const device = await db.device.create({
    data: { vendor: spec.vendor, category: spec.category, connectivity: spec.connectivity, vendorType: spec.vendorType, patientId, lifecycle: stage },
  });
  await db.deviceAssignment.create({ data: { deviceId: device.id, patientId, startedAt: new Date(now.getTime() - 40 * DAY) } });
  const shippedAt = new Date(now.getTime() - 38 * DAY);
  const deliveredAt = stage === "shipping" ? null : new Date(now.getTime() - 35 * DAY);
  // Last updated at its latest status, not at seeding: the shipments list would say "just now" for one stuck for weeks.
  const updatedAt = deliveredAt ?? shippedAt;
  const shipment = await db.shipment.create({
    data: {
      patientId,
      deviceId: device.id,
      vendor: spec.vendor,
      fulfiller: spec.vendor === "tenovi" ? "vendor" : "clinic",
      status: stage === "shipping" ? (spec.vendor === "tenovi" ? "Dropshipped" : "Shipped") : "Delivered",
      shippingName: "Demo patient",
      addressLine1: "1 Main Street",
      city: "Columbus",
      state: "OH",
      zipCode: "43215",
      carrier: "UPS",
      trackingLink: `https://www.ups.com/track?tracknum=1Z999AA1${String(index).padStart(8, "0")}`,
      shippedAt,
      deliveredAt,
      // Requested when the device was assigned, before it shipped.
      createdAt: new Date(now.getTime() - 40 * DAY),
      updatedAt,
    },
  });
  const readings = stage === "shipping" ? [] : demoReadings(device.id, patientId, spec, random, now, stage === "silent" ? 9 : 0);
  const times = readings.map((r) => (r.measuredAt instanceof Date ? r.measuredAt.getTime() : 0));
  const lastReadingAt = times.length > 0 ? new Date(Math.max(...times)) : null;
  const side = await vendors.provision({ index, patient, vendor: spec.vendor, vendorType: spec.vendorType, connectivity: spec.connectivity, stage, lastReadingAt, now });
  const gateway = side.gatewayUuid ? await db.gateway.create({ data: { gatewayUuid: side.gatewayUuid, patientId } }) : null;
  await db.device.update({
    where: { id: device.id },
    data: {
      vendorDeviceId: side.vendorDeviceId,
      imei: side.imei,
      gatewayId: gateway?.id,
      vendorStatus: side.vendorStatus,
      ...(lastReadingAt ? { firstReadingAt: new Date(Math.min(...times)), lastReadingAt } : {}),
    },
  });
  if (side.trackingLink) await db.shipment.update({ where: { id: shipment.id }, data: { trackingLink: side.trackingLink, updatedAt } });
  if (side.identity) {
    await db.vendorIdentity.upsert({
      where: { patientId_vendor: { patientId, vendor: spec.vendor } },
      create: { patientId, vendor: spec.vendor, ...side.identity },
      update: {},
    });
  }
  if (readings.length === 0) return;
  await db.reading.createMany({ data: readings });
  await raiseDemoAlerts(patientId, readings);
}

function demoReadings(deviceId: string, patientId: string, spec: DeviceSpec, random: ReturnType<typeof seededRandom>, now: Date, lastDay: number): Prisma.ReadingCreateManyInput[] {
  const rows: Prisma.ReadingCreateManyInput[] = [];
  for (let day = 30; day >= lastDay; day--) {
    if (random.next() < 0.2) continue;
    const measuredAt = new Date(now.getTime() - day * DAY - random.int(0, 10) * 3_600_000);
    const base = { patientId, deviceId, vendor: spec.vendor, measuredAt, utcOffsetSeconds: -18_000, arrival: spec.vendor === "validic" ? "push" : spec.vendor === "tenovi" ? "webhook" : "poll" };
    const key = `${deviceId}:${measuredAt.toISOString()}`;
    for (const metric of metricsFor(spec.category, random)) rows.push({ ...base, vendorRecordId: key, ...metric });
  }
  return rows;
}

function metricsFor(category: DeviceCategory, random: ReturnType<typeof seededRandom>): { metric: string; value: number; value2?: number; unit: string; flags?: string[] }[] {
  if (category === "blood_pressure") {
    const systolic = Math.round(random.normal(138, 18));
    return [
      { metric: "blood_pressure", value: systolic, value2: Math.round(systolic * 0.62 + random.normal(0, 5)), unit: "mmHg" },
      { metric: "pulse", value: Math.round(random.normal(74, 9)), unit: "bpm" },
    ];
  }
  if (category === "glucometer") return [{ metric: "blood_glucose", value: Math.round(random.normal(150, 55)), unit: "mg/dL" }];
  if (category === "scale") return [{ metric: "body_weight", value: Math.round(random.normal(88, 1) * 10) / 10, unit: "kg" }];
  if (category === "pulse_oximeter") {
    return [
      { metric: "spo2", value: Math.min(100, Math.round(random.normal(95, 2.5))), unit: "percent" },
      { metric: "pulse", value: Math.round(random.normal(76, 8)), unit: "bpm" },
    ];
  }
  // As ingest stores a Smartz event: value 1, its kind in the flags.
  return [{ metric: "diaper_event", value: 1, unit: "event", flags: [random.pick(["wet", "void", "bowel"])] }];
}

async function raiseDemoAlerts(patientId: string, readings: Prisma.ReadingCreateManyInput[]) {
  const worrying = readings.filter(
    (r) => (r.metric === "blood_pressure" && r.value > 180) || (r.metric === "blood_glucose" && (r.value > 300 || r.value < 70)) || (r.metric === "spo2" && r.value < 90),
  );
  const latest = worrying.at(-1);
  if (!latest) return;
  const saved = await db.reading.findFirst({ where: { patientId, metric: latest.metric, measuredAt: latest.measuredAt }, select: { id: true } });
  const message =
    latest.metric === "blood_pressure" ? `Systolic ${latest.value} mmHg is above 180` : latest.metric === "spo2" ? `SpO₂ ${latest.value}% is below 90%` : `Glucose ${latest.value} mg/dL is out of range`;
  // Raised when the reading arrived, as ingest would have; the worklist shows how long it has waited.
  const createdAt = latest.measuredAt instanceof Date ? latest.measuredAt : undefined;
  await db.alert.create({ data: { patientId, readingId: saved?.id, severity: latest.metric === "blood_glucose" && latest.value < 70 ? "critical" : "high", message, createdAt } });
}
