import { encryptSecret } from "@/lib/crypto";
import { tenoviPatientFor, vendorPatientId } from "@/lib/devices/identities";
import type { Connectivity, Vendor } from "@/lib/generated/prisma/client";
import { fullName } from "@/lib/patients/names";
import { imeiFrom } from "@/lib/seed/random";
import { smartzConfig, tenoviConfig, validicConfig } from "@/lib/vendors/config";
import { registerSmartzResident } from "@/lib/vendors/smartz/simulator";
import { toActivationPayload, type TenoviActivationInput } from "@/lib/vendors/tenovi/payloads";
import { createTenoviSimulator } from "@/lib/vendors/tenovi/simulator";
import { SMART_METER_DEVICE_TYPES, type SmartMeterDeviceType } from "@/lib/vendors/validic/schemas";
import { createValidicSimulator } from "@/lib/vendors/validic/simulator";

// The vendors' side of the demo clinic. A vendor running against its simulator gets every seeded device, gateway,
// user and resident in the simulator's own state (Tenovi through its activation handler, Validic as provisioning and
// Direct Connection leave it, Smartz as the care home's portal would), with the ids Pulseboard then records, so
// webhooks, pushes, polls, reconciles and offboarding all meet devices the vendor knows. A live vendor is left alone:
// its demo devices exist only in Pulseboard.

// Where a seeded device stands in the demo story.
export type DemoStage = "active" | "shipping" | "silent";

// The seeded patient fields a vendor needs.
export type DemoPatient = {
  id: string;
  firstName: string;
  lastName: string;
  mrn: string;
  physician: string | null;
  smsConsent: boolean;
  timeZone: string;
  dateOfBirth: Date;
  addressLine1: string | null;
  city: string | null;
  state: string | null;
  zipCode: string | null;
};

// One seeded device to provision at its vendor.
export type DemoDeviceRequest = {
  index: number;
  patient: DemoPatient;
  vendor: Vendor;
  vendorType: string;
  connectivity: Connectivity;
  stage: DemoStage;
  // When the demo history's last reading was taken (null for a device still on its way).
  lastReadingAt: Date | null;
  now: Date;
};

// What Pulseboard records for the device: the vendor's ids and status word, and the patient's account there.
export type DemoVendorSide = {
  // Tenovi's hwi_device_id or the Smartz pod id; none for a Smart Meter, which Validic knows by IMEI.
  vendorDeviceId: string | null;
  gatewayUuid: string | null;
  imei: string | null;
  vendorStatus: string;
  trackingLink: string | null;
  identity: { externalId: string; vendorUserId?: string; marketplaceTokenEncrypted?: string } | null;
};

// How the demo's vendor side behaves.
export type DemoVendorOptions = {
  // Whether seeded active devices measure on their own on simulator ticks (off for the e2e suite, which counts readings).
  autoReadings: boolean;
};

// A deterministic 12-hex-digit gateway ID (Tenovi gateway IDs are 12 or 32 hex characters).
export function demoGatewayId(index: number): string {
  return `DE${index.toString(16).padStart(10, "0")}`.toUpperCase();
}

// A deterministic IMEI with a valid check digit.
export function demoImei(index: number): string {
  return imeiFrom(`35${String(2000000000 + index * 7919).padStart(12, "0")}`);
}

// The demo's vendor side: one provision call per seeded device.
export function createDemoVendors(options: DemoVendorOptions) {
  const modes = { tenovi: tenoviConfig().mode, validic: validicConfig().mode, smartz: smartzConfig().mode };
  const tenovi = createTenoviSimulator();
  const validic = createValidicSimulator();

  // The device only in Pulseboard, with made-up ids (a vendor running live).
  function localOnly(request: DemoDeviceRequest): DemoVendorSide {
    const isShipping = request.stage === "shipping";
    return {
      vendorDeviceId: `demo-${request.vendor}-${request.index}`,
      gatewayUuid: request.connectivity === "gateway" ? demoGatewayId(request.index) : null,
      imei: request.connectivity === "cellular" ? demoImei(request.index) : null,
      vendorStatus: isShipping ? (request.vendor === "tenovi" ? "Dropshipped" : "Shipped") : request.vendor === "tenovi" ? "Connected" : "connected",
      trackingLink: null,
      identity: null,
    };
  }

  // Tenovi: activated on site with the gateway ID or IMEI (active and silent devices), or drop-shipped by Tenovi
  // (shipping devices, whose hardware Tenovi picks when it ships), exactly as the assign and ship flows send it.
  async function provisionTenovi(request: DemoDeviceRequest): Promise<DemoVendorSide> {
    const { patient, index, stage } = request;
    const externalId = vendorPatientId(patient.id);
    const tenoviPatient = tenoviPatientFor(patient, externalId);
    const input: TenoviActivationInput =
      stage === "shipping"
        ? {
            kind: "tenovi-ships",
            deviceName: request.vendorType,
            shipping: {
              name: fullName(patient),
              addressLines: [patient.addressLine1 ?? "1 Main Street"],
              city: patient.city ?? "Columbus",
              state: patient.state ?? "OH",
              zipCode: patient.zipCode ?? "43215",
            },
            patient: tenoviPatient,
          }
        : request.connectivity === "gateway"
          ? { kind: "on-site-gateway", deviceName: request.vendorType, gatewayId: demoGatewayId(index), patient: tenoviPatient }
          : { kind: "on-site-cellular", deviceName: request.vendorType, imei: demoImei(index), patient: tenoviPatient };
    const wire = await tenovi.seedDevice(toActivationPayload(input), {
      status: stage === "shipping" ? "Dropshipped" : "Connected",
      lastMeasurementAt: request.lastReadingAt,
      measuresOnItsOwn: stage === "active" && options.autoReadings,
      now: request.now,
    });
    const hardware = wire.device.hardware_uuid;
    return {
      vendorDeviceId: wire.id,
      gatewayUuid: request.connectivity === "gateway" ? hardware : null,
      imei: request.connectivity === "cellular" ? hardware : null,
      vendorStatus: wire.status,
      trackingLink: wire.device.fulfillment_request?.shipping_tracking_link ?? null,
      identity: { externalId },
    };
  }

  // Validic: the patient's user provisioned with our uid and the Smart Meter connected by IMEI (a clinic-shipped meter
  // is connected when it ships).
  async function provisionValidic(request: DemoDeviceRequest): Promise<DemoVendorSide> {
    const uid = vendorPatientId(request.patient.id);
    const deviceType = smartMeterType(request.vendorType);
    const imei = demoImei(request.index);
    const user = await validic.seedUser(uid, { timezone: request.patient.timeZone, country_code: "US" });
    await validic.seedConnection(uid, imei, deviceType, {
      lastMeasuredAt: request.lastReadingAt,
      measuresOnItsOwn: request.stage === "active" && options.autoReadings,
    });
    return {
      vendorDeviceId: null,
      gatewayUuid: null,
      imei,
      vendorStatus: request.stage === "shipping" ? "Shipped" : "connected",
      trackingLink: null,
      identity: { externalId: uid, vendorUserId: user.id, marketplaceTokenEncrypted: encryptSecret(user.marketplace.token) },
    };
  }

  // Smartz: the resident and their pod as the care home registered them; Pulseboard links the pod and the resident.
  async function provisionSmartz(request: DemoDeviceRequest): Promise<DemoVendorSide> {
    const { patient, index } = request;
    const suffix = String(index).padStart(4, "0");
    const resident = await registerSmartzResident({
      id: `pat-demo-${suffix}`,
      firstName: patient.firstName,
      lastName: patient.lastName,
      externalId: patient.mrn,
      dateOfBirth: patient.dateOfBirth.toISOString().slice(0, 10),
      pod: { id: `pod-demo-${suffix}`, serialNumber: `SZP-D${suffix}` },
      reportsOnItsOwn: request.stage === "active" && options.autoReadings,
    });
    return {
      vendorDeviceId: resident.podIds[0] ?? `pod-demo-${suffix}`,
      gatewayUuid: null,
      imei: null,
      vendorStatus: request.stage === "shipping" ? "Shipped" : "active",
      trackingLink: null,
      identity: { externalId: resident.id },
    };
  }

  return {
    // Creates the device at its vendor's simulator (or nothing, for a live vendor) and answers what Pulseboard records.
    async provision(request: DemoDeviceRequest): Promise<DemoVendorSide> {
      if (modes[request.vendor] === "live") return localOnly(request);
      if (request.vendor === "tenovi") return provisionTenovi(request);
      if (request.vendor === "validic") return provisionValidic(request);
      return provisionSmartz(request);
    },
  };
}

function smartMeterType(vendorType: string): SmartMeterDeviceType {
  const type = SMART_METER_DEVICE_TYPES.find((t) => t === vendorType);
  return type ?? "blood_pressure";
}
