import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

import { db } from "@/lib/db";
import type { DeviceContext, DeviceVendorClients } from "@/lib/devices/context";
import type { Role } from "@/lib/permissions";
import { luhnCheckDigit } from "@/lib/vendors/validic/imei";
import { SIMULATOR_CREDENTIALS } from "@/lib/vendors/config";
import { json, type SimRoute, type VendorSimulator } from "@/lib/vendors/simulator-kit";
import { createSimulatorServer } from "@/lib/vendors/simulator-server";
import { createSmartzClient } from "@/lib/vendors/smartz/client";
import { createSmartzSimulator } from "@/lib/vendors/smartz/simulator";
import { TenoviClient } from "@/lib/vendors/tenovi/client";
import { createTenoviSimulator, type TenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { close, listen, startWebhookReceiver } from "@/lib/vendors/tenovi/test-servers";
import { ValidicClient } from "@/lib/vendors/validic/client";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";

// Test-only: the three vendor simulators on one in-process HTTP server (real HTTP, real database behind them), with
// clients pointed at it, staff users, patients, unique IMEIs, and faults injected per route for this server only (the
// vendor-wide failure switch is off here, so another file's outage rehearsal cannot reach these tests).

// Gateway IDs the test Tenovi account knows.
export const KNOWN_GATEWAY = "A1B2C3D4E5F6";
export const SECOND_GATEWAY = "0C4DE9A1B7F2";

// A fault armed on one route of this harness's server: answer an error, or do the work and answer too late.
export type Fault = { method: string; path: RegExp; mode: "fail" | "answer-late"; status?: number; times?: number };

// Wraps each route so an armed fault for it applies first (consumed one call at a time).
function withFaults<T extends VendorSimulator>(sim: T, faults: Fault[], lateMs: () => number): T {
  const wrap = (route: SimRoute): SimRoute => ({
    ...route,
    handler: async (ctx) => {
      const fault = faults.find((f) => f.method === ctx.request.method && f.path.test(ctx.url.pathname) && (f.times ?? 1) > 0);
      if (!fault) return route.handler(ctx);
      fault.times = (fault.times ?? 1) - 1;
      if (fault.mode === "fail") return json(fault.status ?? 503, { detail: "Injected failure", message: "Injected failure" });
      const response = await route.handler(ctx);
      await sleep(lateMs());
      return response;
    },
  });
  return { ...sim, routes: sim.routes.map(wrap) };
}

// Starts the harness for one test file; `name` keeps its Tenovi account apart from other files'.
export async function startDeviceHarness(name: string, options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const domain = `devices-${name}-${process.pid}`;
  const apiKey = `devices-${name}-key`;
  const hooks = await startWebhookReceiver();
  const faults: Fault[] = [];
  const tenovi: TenoviSimulator = createTenoviSimulator({
    clientDomain: domain,
    apiKey,
    seedGatewayIds: [KNOWN_GATEWAY, SECOND_GATEWAY],
    autoReadings: null,
    webhook: { url: () => hooks.url, authHeader: "Authorization", authKey: "Basic dGVzdDp0ZXN0" },
  });
  const validic = createValidicSimulator({ measureEveryMs: 0, pushEnabled: false });
  const smartz = createSmartzSimulator({ rateLimit: null, eventsPerPatientPerHour: 0 });
  const late = () => timeoutMs + 400;
  const simulators = [withFaults(tenovi, faults, late), ...validic.simulators.map((s) => withFaults(s, faults, late)), withFaults(smartz, faults, late)];
  const server: Server = createSimulatorServer(simulators, { useFailureSwitch: false });
  const origin = await listen(server);
  const sim = SIMULATOR_CREDENTIALS;
  const http = { timeoutMs, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 };
  const clients: DeviceVendorClients = {
    tenovi: new TenoviClient({ baseUrl: `${origin}/tenovi/clients/${domain}`, apiKey, ...http }),
    validic: new ValidicClient({ apiUrl: `${origin}/validic`, marketplaceUrl: `${origin}/validic-marketplace`, orgId: sim.validic.orgId, orgToken: sim.validic.orgToken, ...http }),
    smartz: createSmartzClient({ mode: "simulator", baseUrl: `${origin}/smartz`, ...sim.smartz }, { http }),
  };
  const users = await createStaff();
  const startedAt = await requestMark();

  return {
    domain,
    tenovi,
    validic,
    hooks,
    clients,
    faults,
    users,
    // A context acting as the given role's test user.
    as(role: Role): DeviceContext {
      return { actor: { id: users[role], role }, requestId: randomUUID(), clients };
    },
    // Simulator requests since `mark` (or the harness start) for this harness: its Tenovi account, or a path part.
    async requests(filter: { vendor: "tenovi" | "validic" | "smartz"; pathIncludes?: string; method?: string; since?: bigint }) {
      const rows = await db.simulatorRequest.findMany({
        where: {
          vendor: filter.vendor,
          id: { gt: filter.since ?? startedAt },
          ...(filter.method ? { method: filter.method } : {}),
          ...(filter.vendor === "tenovi" ? { path: { contains: `/clients/${domain}/` } } : {}),
        },
        orderBy: { id: "asc" },
      });
      return rows.filter((r) => !filter.pathIncludes || r.path.includes(filter.pathIncludes));
    },
    // The same, once at least `count` have been logged (a late answer is logged only after it is sent).
    async requestsEventually(filter: Parameters<typeof this.requests>[0], count: number) {
      for (let waited = 0; ; waited += 50) {
        const rows = await this.requests(filter);
        if (rows.length >= count || waited > 5_000) return rows;
        await sleep(50);
      }
    },
    mark: requestMark,
    async stop() {
      server.closeAllConnections();
      await Promise.all([close(server), hooks.close()]);
    },
  };
}

// The test harness of one file.
export type DeviceHarness = Awaited<ReturnType<typeof startDeviceHarness>>;

async function requestMark(): Promise<bigint> {
  const last = await db.simulatorRequest.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  return last?.id ?? 0n;
}

async function createStaff(): Promise<Record<Role, string>> {
  const entries = await Promise.all(
    (["admin", "coordinator", "clinician"] as const).map(async (role) => {
      const user = await db.user.create({ data: { email: `${role}-${randomUUID()}@devices.test`, name: `Test ${role}`, role, passwordHash: "not-used" } });
      return [role, user.id] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<Role, string>;
}

let mrnCounter = 0;

// An enrolled patient with a US address; SMS consent and physician as given.
export async function createPatient(overrides: { smsConsent?: boolean; physician?: string | null } = {}) {
  mrnCounter += 1;
  return db.patient.create({
    data: {
      mrn: `DEV-${process.pid}-${mrnCounter}-${randomUUID().slice(0, 8)}`,
      firstName: "Test",
      lastName: `Patient${mrnCounter}`,
      dateOfBirth: new Date("1950-01-01"),
      addressLine1: "1 Main Street",
      addressLine2: "Apt 2",
      city: "Columbus",
      state: "OH",
      zipCode: "43215",
      physician: overrides.physician === undefined ? "Dr. Patel" : overrides.physician,
      smsConsent: overrides.smsConsent ?? false,
    },
  });
}

// A Luhn-valid IMEI nobody else in the test run uses.
export function newImei(): string {
  const body = `86${String(Math.floor(Math.random() * 1e12)).padStart(12, "0")}`;
  return `${body}${luhnCheckDigit(body)}`;
}

// The shipping address form as staff would fill it for a test patient.
export const TEST_ADDRESS = { name: "Test Patient", line1: "1 Main Street", line2: "Apt 2", city: "Columbus", state: "oh", zipCode: "432151234" };

// A reading the patient took with the device (as ingest would store it), for checking that history stays put.
export async function addReading(patientId: string, deviceId: string, measuredAt = new Date()) {
  return db.reading.create({
    data: { patientId, deviceId, vendor: "tenovi", vendorRecordId: `test-${randomUUID()}`, metric: "pulse", value: 70, unit: "bpm", measuredAt, arrival: "webhook" },
  });
}
