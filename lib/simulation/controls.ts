import type { z } from "zod";

import { db } from "@/lib/db";
import { deviceTypeName } from "@/lib/devices/catalog";
import { AppError } from "@/lib/errors";
import { listName } from "@/lib/patients/names";
import type { armFailureSchema, emitReadingSchema, SimulatedVendor } from "@/lib/simulation/schemas";
import { VendorHttpError } from "@/lib/vendors/base-client";
import { smartzConfig, tenoviConfig, validicConfig, type VendorMode } from "@/lib/vendors/config";
import { getFailureSwitch, recentSimulatorRequests, setFailureSwitch, type FailureSwitch } from "@/lib/vendors/simulator-kit";
import { createSmartzClient } from "@/lib/vendors/smartz/client";
import { emitDayOfEvents, emitEventNow, listSmartzPatients } from "@/lib/vendors/smartz/simulator";
import { TenoviClient } from "@/lib/vendors/tenovi/client";
import { tenoviSimulator, type ReadingReport } from "@/lib/vendors/tenovi/simulator";
import { createValidicSimulator, type ValidicSimulator } from "@/lib/vendors/validic/simulator";

// The Simulation page's controls: thin, audited server actions call these. Every one refuses a vendor that is live.

const VENDOR_LABELS: Record<SimulatedVendor, string> = { tenovi: "Tenovi", validic: "Validic", smartz: "Smartz" };
// One quick attempt when reading back what a simulator now serves, so an armed failure shows at once.
const READBACK_HTTP = { timeoutMs: 5_000, maxAttempts: 1 };
const DEFAULT_RETRY_AFTER_SECONDS = 30;

// Whether each vendor talks to its simulator or to the real service.
export function vendorModes(): Record<SimulatedVendor, VendorMode> {
  return { tenovi: tenoviConfig().mode, validic: validicConfig().mode, smartz: smartzConfig().mode };
}

// Refuses to touch a vendor configured with real credentials.
export function assertSimulated(vendor: SimulatedVendor): void {
  if (vendorModes()[vendor] === "live") {
    throw new AppError("CONFLICT", `${VENDOR_LABELS[vendor]} is connected to the live service, so its simulation controls are off.`);
  }
}

// The failure switch setting for a chosen kind of failure.
export function failureSwitchFor(input: z.output<typeof armFailureSchema>): FailureSwitch {
  const remaining = input.count;
  switch (input.kind) {
    case "timeout":
      return { remaining, mode: "timeout", status: 504 };
    case "server_error":
      return { remaining, mode: "status", status: input.status ?? 503 };
    case "rate_limited":
      return { remaining, mode: "status", status: 429, retryAfterSeconds: input.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS };
    case "client_error":
      return { remaining, mode: "status", status: input.status ?? 400 };
    case "malformed":
      return { remaining, mode: "malformed", status: 200 };
  }
}

// Arms the vendor's failure switch; answers what was armed.
export async function armFailure(input: z.output<typeof armFailureSchema>): Promise<FailureSwitch> {
  assertSimulated(input.vendor);
  const failure = failureSwitchFor(input);
  await setFailureSwitch(input.vendor, failure);
  return failure;
}

// Disarms the vendor's failure switch.
export async function clearFailure(vendor: SimulatedVendor): Promise<void> {
  assertSimulated(vendor);
  await setFailureSwitch(vendor, null);
}

// Tenovi: the device's shipment moves one status on, and Tenovi sends the fulfillment webhook.
export async function advanceTenoviShipment(hwiDeviceId: string): Promise<{ message: string }> {
  assertSimulated("tenovi");
  const result = await tenoviSimulator().advanceShipment(hwiDeviceId);
  if (!result.changedTo) {
    return {
      message: `Device ${hwiDeviceId} stays “${result.device.status}”: that status moves on by itself (e.g. with the first reading), not by a shipping step.`,
    };
  }
  return { message: `Device ${hwiDeviceId} is now “${result.changedTo}”. ${deliveryText(result.delivery ? [result.delivery] : [])}` };
}

// Tenovi: the next `count` webhooks are dropped, as when Pulseboard is unreachable.
export async function dropTenoviWebhooks(count: number): Promise<void> {
  assertSimulated("tenovi");
  await tenoviSimulator().dropNextWebhooks(count);
}

export type EmitResult = { message: string; readback: { ok: boolean; detail: string } | null };

// A device (Tenovi, Validic) or a patient's pod (Smartz) reports now or over the last day. Tenovi and Smartz are then
// read back through Pulseboard's own client, the way the backfill and the poller would, so the request shows in the
// simulator's log (and an armed failure switch shows its effect).
export async function emitReading(input: z.output<typeof emitReadingSchema>): Promise<EmitResult> {
  assertSimulated(input.vendor);
  const isDay = input.span === "day";
  if (input.vendor === "tenovi") {
    const sim = tenoviSimulator();
    const report = isDay ? await sim.emitDayOfReadings(input.target) : await sim.emitReadingNow(input.target);
    return { message: tenoviReportText(input.target, report), readback: await readBack(() => readTenovi(input.target)) };
  }
  if (input.vendor === "validic") {
    const sim = validicSimulator();
    const records = isDay ? await sim.emitDayOfReadings(input.target) : [await sim.emitReadingNow(input.target)];
    const pushes = await sim.flushPush();
    const outcome = pushes.length ? pushes.map((p) => `${p.status} (HTTP ${p.http_status ?? "none"})`).join(", ") : "nothing to send";
    return {
      message: `Device ${input.target} took ${plural(records.length, "reading")}; the Push Service sent them to Pulseboard: ${outcome}.`,
      readback: null,
    };
  }
  const events = isDay ? await emitDayOfEvents(input.target) : await emitEventNow(input.target);
  const kinds = [...new Set(events.map((e) => e.type))].join(", ");
  return {
    message: `Smartz patient ${input.target}'s pod reported ${plural(events.length, "event")} (${kinds}). Pulseboard picks them up when it polls Smartz.`,
    readback: await readBack(() => readSmartz(input.target)),
  };
}

async function readTenovi(hwiDeviceId: string): Promise<string> {
  const config = tenoviConfig();
  const client = new TenoviClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, ...READBACK_HTTP });
  const since = new Date(Date.now() - 25 * 3_600_000);
  const measurements = await client.deviceMeasurements(hwiDeviceId, { since });
  return `Tenovi's API lists ${plural(measurements.length, "measurement")} from the last 25 hours for this device.`;
}

async function readSmartz(patientId: string): Promise<string> {
  const page = await createSmartzClient(smartzConfig(), { http: READBACK_HTTP }).listPatientEvents(patientId, { limit: 100 });
  return `Smartz's API answered with ${plural(page.items.length, "event")} on the first page${page.hasMore ? " (more follow)" : ""}.`;
}

async function readBack(read: () => Promise<string>): Promise<{ ok: boolean; detail: string }> {
  try {
    return { ok: true, detail: await read() };
  } catch (error) {
    if (error instanceof VendorHttpError) {
      return { ok: false, detail: `Reading it back failed: ${error.httpStatus === null ? "no answer" : `HTTP ${error.httpStatus}`} (${error.message}).` };
    }
    throw error;
  }
}

function tenoviReportText(hwiDeviceId: string, report: ReadingReport): string {
  return `Device ${hwiDeviceId} took ${plural(report.measurements.length, "measurement")}. ${deliveryText(report.deliveries)}`;
}

function deliveryText(deliveries: ReadingReport["deliveries"]): string {
  if (deliveries.length === 0) return "No webhook was sent.";
  const outcomes = deliveries.map((d) => (d.isDropped ? "dropped on purpose" : d.httpStatus === null ? "unreachable" : `HTTP ${d.httpStatus}`));
  return `Webhook${deliveries.length === 1 ? "" : "s"} to Pulseboard: ${outcomes.join(", ")}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

let validic: ValidicSimulator | null = null;

// This process's handle on the Validic simulator (its state lives in the database, shared with the simulator server).
function validicSimulator(): ValidicSimulator {
  validic ??= createValidicSimulator({ push: { batchIntervalMs: 5_000 } });
  return validic;
}

export type SimulatorRequestView = { id: string; method: string; path: string; status: number; receivedAt: Date; body: string | null };

export type VendorSimulationState = {
  vendor: SimulatedVendor;
  label: string;
  mode: VendorMode;
  failure: FailureSwitch | null;
  requests: SimulatorRequestView[];
  // What the emit and advance controls can pick from.
  targets: { value: string; label: string }[];
  pendingWebhookDrops: number;
};

// Everything the Simulation page shows for each vendor. A live vendor shows only its mode.
export async function simulationState(requestCount = 20): Promise<VendorSimulationState[]> {
  const modes = vendorModes();
  return Promise.all(
    (Object.keys(VENDOR_LABELS) as SimulatedVendor[]).map(async (vendor) => {
      const base = { vendor, label: VENDOR_LABELS[vendor], mode: modes[vendor], failure: null, requests: [], targets: [], pendingWebhookDrops: 0 };
      if (modes[vendor] === "live") return base;
      const [failure, requests, targets, pendingWebhookDrops] = await Promise.all([
        getFailureSwitch(vendor),
        recentSimulatorRequests(vendor, requestCount),
        targetsFor(vendor),
        vendor === "tenovi" ? tenoviSimulator().pendingWebhookDrops() : Promise.resolve(0),
      ]);
      return {
        ...base,
        failure,
        pendingWebhookDrops,
        targets,
        requests: requests.map((r) => ({
          id: r.id.toString(),
          method: r.method,
          path: r.path,
          status: r.status,
          receivedAt: r.receivedAt,
          body: r.body === null ? null : JSON.stringify(r.body, null, 2),
        })),
      };
    }),
  );
}

// The simulators know a patient by their id at the vendor (Tenovi external_id, Validic uid): the recorded vendor
// identity's, else Pulseboard's own id. The pickers name the patient, and show the id only for one Pulseboard lacks.
async function patientNames(vendor: "tenovi" | "validic", ids: (string | null)[]): Promise<(id: string | null) => string> {
  const known = [...new Set(ids.filter((id): id is string => id !== null))];
  const select = { firstName: true, lastName: true } as const;
  const [identities, patients] = known.length
    ? await Promise.all([
        db.vendorIdentity.findMany({ where: { vendor, externalId: { in: known } }, select: { externalId: true, patient: { select } } }),
        db.patient.findMany({ where: { id: { in: known } }, select: { id: true, ...select } }),
      ])
    : [[], []];
  const names = new Map<string, string>();
  for (const p of patients) names.set(p.id, listName(p));
  for (const identity of identities) names.set(identity.externalId, listName(identity.patient));
  return (id) => (id === null ? "no patient" : (names.get(id) ?? `patient ${id}`));
}

async function targetsFor(vendor: SimulatedVendor): Promise<{ value: string; label: string }[]> {
  if (vendor === "tenovi") {
    const devices = await tenoviSimulator().listDevices();
    const nameOf = await patientNames("tenovi", devices.map((d) => d.patient_id));
    return devices.map((d) => ({
      value: d.id,
      label: `${d.device.name} · ${d.status} · ${d.device.hardware_uuid ?? "no hardware yet"} · ${nameOf(d.patient_id)}`,
    }));
  }
  if (vendor === "validic") {
    const connections = await validicSimulator().listConnections();
    const nameOf = await patientNames("validic", connections.map((c) => c.uid));
    return connections.map((c) => ({
      value: c.imei,
      label: `${c.imei} · ${deviceTypeName({ vendor: "validic", vendorType: c.deviceType })} · ${c.isActive ? "connected" : "connecting"} · ${nameOf(c.uid)}`,
    }));
  }
  // The simulator's residents: its own seed plus those the demo clinic registered.
  const patients = await listSmartzPatients();
  return patients.map((p) => ({
    value: p.id,
    label: `${p.id} · ${[p.firstName, p.lastName].filter(Boolean).join(" ")} · ${p.podIds.length ? `pod ${p.podIds.join(", ")}` : "no pod"}`,
  }));
}
