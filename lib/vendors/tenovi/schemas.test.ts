import { describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { extractVendorMessage } from "@/lib/vendors/base-client";
import { connectivityOf, normalizeDeviceName } from "@/lib/vendors/tenovi/device-catalog";
import * as fx from "@/lib/vendors/tenovi/fixtures";
import { toActivationPayload, toHwiPatientPayload, toReplacementPayload, type TenoviShippingInput } from "@/lib/vendors/tenovi/payloads";
import {
  measurementPairKey,
  tenoviActivationPayloadSchema,
  tenoviDeviceTypeSchema,
  tenoviFulfillmentWebhookSchema,
  tenoviGatewaySchema,
  tenoviHwiDeviceSchema,
  tenoviHwiPatientSchema,
  tenoviListSchema,
  tenoviMeasurementWebhookSchema,
} from "@/lib/vendors/tenovi/schemas";
import { TENOVI_STATUSES, isKnownTenoviStatus, isUnknownGateway } from "@/lib/vendors/tenovi/statuses";

const SHIPPING: TenoviShippingInput = {
  name: "Test Patient",
  addressLines: ["1 Main St", "Apt 2"],
  city: "Springfield",
  state: "il",
  zipCode: "62701",
  notifyEmails: ["coordinator@example.com", "nurse@example.com"],
};

describe("Tenovi response schemas parse the documented payloads", () => {
  it("HWI Device objects: sensor_code stays a string, ASSUMPTION fields are optional", () => {
    const connected = tenoviHwiDeviceSchema.parse(fx.HWI_DEVICE_CONNECTED);
    expect(connected.device.sensor_code).toBe("10");
    expect(connected.device.id).toBe("48213");
    expect(connected.patient?.external_id).toBe(connected.patient_id);
    const dropship = tenoviHwiDeviceSchema.parse(fx.HWI_DEVICE_DROPSHIP_REQUESTED);
    expect(dropship.device.fulfillment_request?.notify_emails).toBe("coordinator@example.com,nurse@example.com");
    expect(dropship.device.hardware_uuid).toBeNull();
  });

  it("keeps an unknown status and turns a numeric sensor_code into a string", () => {
    const device = tenoviHwiDeviceSchema.parse(fx.HWI_DEVICE_FUTURE_STATUS);
    expect(device.status).toBe("Awaiting Pickup");
    expect(isKnownTenoviStatus(device.status)).toBe(false);
    expect(device.device.sensor_code).toBe("10");
  });

  it("recognises Unknown Gateway ID as its own outcome", () => {
    expect(isUnknownGateway(tenoviHwiDeviceSchema.parse(fx.HWI_DEVICE_UNKNOWN_GATEWAY))).toBe(true);
    expect(isUnknownGateway(tenoviHwiDeviceSchema.parse(fx.HWI_DEVICE_CONNECTED))).toBe(false);
  });

  it("lists the 12 documented statuses plus Unknown Gateway ID", () => {
    expect(TENOVI_STATUSES).toHaveLength(13);
    expect(TENOVI_STATUSES).toContain("Ready to Ship");
    expect(TENOVI_STATUSES).toContain("Unknown Gateway ID");
  });

  it("accepts both list shapes: the page envelope (next on api.tenovi.com) and the bare array", () => {
    const schema = tenoviListSchema(tenoviHwiDeviceSchema);
    const page = schema.parse(fx.HWI_DEVICES_PAGE);
    expect(Array.isArray(page)).toBe(false);
    if (!Array.isArray(page)) expect(page.next).toContain("https://api.tenovi.com/");
    const bare = schema.parse(fx.HWI_DEVICES_BARE);
    expect(Array.isArray(bare) && bare.length).toBe(2);
  });

  it("measurement webhooks: one object or an array, values coerced, value_2 null kept", () => {
    const [single] = tenoviMeasurementWebhookSchema.parse(fx.MEASUREMENT_WEBHOOK_SINGLE);
    expect(single).toMatchObject({ metric: "weight", value_1: 182.4, value_2: null, sensor_code: "13" });
    const pair = tenoviMeasurementWebhookSchema.parse(fx.MEASUREMENT_WEBHOOK_ARRAY);
    expect(pair.map((m) => [m.metric, m.value_1, m.value_2])).toEqual([
      ["blood_pressure", 128, 84],
      ["pulse", 71, null],
    ]);
    expect(new Set(pair.map(measurementPairKey)).size).toBe(1);
  });

  it("keeps Tenovi's test payload (placeholder hwi_device_id) parseable", () => {
    const [m] = tenoviMeasurementWebhookSchema.parse(fx.MEASUREMENT_TEST_PAYLOAD);
    expect(m?.hwi_device_id).toBe("12345678-abcd-1234-abcd-1234567890ab");
    expect(m?.metric).toBe("spO2");
  });

  it("reads the doc's malformed fulfillment example ('status ' key, broken link) and the replacement webhook", () => {
    const fulfillment = tenoviFulfillmentWebhookSchema.parse(fx.FULFILLMENT_WEBHOOK_DOC_EXAMPLE);
    expect(fulfillment.status).toBe("Dropshipped");
    expect(fulfillment.tracking_link).toContain("usps");
    const replacement = tenoviFulfillmentWebhookSchema.parse(fx.REPLACEMENT_WEBHOOK);
    expect(replacement).toMatchObject({ status: "Replaced", hardware_uuid: "B7F20C4DE9A1", device_id: "A1B2C3D4E5F6" });
  });

  it("parses hwi-patients, gateways and device types", () => {
    expect(tenoviHwiPatientSchema.parse(fx.HWI_PATIENT).address_status).toBe("Verified");
    expect(fx.HWI_GATEWAYS.map((g) => tenoviGatewaySchema.parse(g).gateway_uuid)).toHaveLength(2);
    expect(fx.HWI_DEVICE_TYPES.map((t) => tenoviDeviceTypeSchema.parse(t).sensor_code)).toEqual(["10", null, "15"]);
  });

  it("turns DRF error bodies, nested ones included, into a readable message", () => {
    expect(extractVendorMessage(JSON.stringify(fx.DRF_ERRORS.unauthorized))).toBe("Authentication credentials were not provided.");
    expect(extractVendorMessage(JSON.stringify(fx.DRF_ERRORS.fieldError))).toBe("device.name: Object with name=Tenovi BPM – L does not exist.");
    expect(extractVendorMessage(JSON.stringify(fx.DRF_ERRORS.flatFieldError))).toBe("external_id: hwi patient with this external id already exists.");
  });
});

describe("device names", () => {
  it("normalises the docs' en dash to the API's hyphen and knows cellular devices", () => {
    expect(normalizeDeviceName("Tenovi BPM – L")).toBe("Tenovi BPM - L");
    expect(connectivityOf("Tenovi Cellular BPM – L")).toBe("cellular");
    expect(connectivityOf("TeleRPM Scale")).toBe("cellular");
    expect(connectivityOf("Tenovi Scale")).toBe("gateway");
  });
});

describe("activation payloads, one per documented use case", () => {
  const patient = { externalId: "pb-1", name: "Test Patient", phoneNumber: "+15555550123" };

  it("on site with a gateway: hardware_uuid is the Gateway ID, no fulfillment_request, sms_opt_in false", () => {
    expect(toActivationPayload({ kind: "on-site-gateway", deviceName: "Tenovi BPM - L", gatewayId: "A1B2C3D4E5F6", patient })).toEqual({
      patient_id: "pb-1",
      patient_phone_number: "+15555550123",
      patient: { external_id: "pb-1", name: "Test Patient", phone_number: "+15555550123", sms_opt_in: false },
      device: { name: "Tenovi BPM - L", hardware_uuid: "A1B2C3D4E5F6" },
    });
  });

  it("on site, cellular: hardware_uuid is the IMEI; a malformed IMEI never leaves Pulseboard", () => {
    expect(toActivationPayload({ kind: "on-site-cellular", deviceName: "Tenovi Cellular BPM - L", imei: "356938035643809" }).device).toEqual({
      name: "Tenovi Cellular BPM - L",
      hardware_uuid: "356938035643809",
    });
    expect(() => toActivationPayload({ kind: "on-site-cellular", deviceName: "Tenovi Cellular BPM - L", imei: "35693803564" })).toThrow(AppError);
  });

  it("clinic ships: hardware_uuid null, client_will_fulfill true, address lines joined by \\n, one comma-separated notify_emails", () => {
    expect(toActivationPayload({ kind: "clinic-ships", deviceName: "Tenovi Scale", shipping: SHIPPING }).device).toEqual({
      name: "Tenovi Scale",
      hardware_uuid: null,
      fulfillment_request: {
        shipping_name: "Test Patient",
        shipping_address: "1 Main St\nApt 2",
        shipping_city: "Springfield",
        shipping_state: "IL",
        shipping_zip_code: "62701",
        require_signature: false,
        notify_emails: "coordinator@example.com,nurse@example.com",
        client_will_fulfill: true,
        ship_gateway_only: false,
      },
    });
  });

  it("Tenovi drop-ships, gateway only, and an additional device for an existing gateway", () => {
    const dropship = toActivationPayload({ kind: "tenovi-ships", deviceName: "Tenovi Scale", shipping: { ...SHIPPING, requireSignature: true } });
    expect(dropship.device.fulfillment_request).toMatchObject({ client_will_fulfill: false, ship_gateway_only: false, require_signature: true });
    const gatewayOnly = toActivationPayload({ kind: "gateway-only", deviceName: "Omron BPM", shipping: SHIPPING });
    expect(gatewayOnly.device).toMatchObject({ hardware_uuid: null, fulfillment_request: { client_will_fulfill: false, ship_gateway_only: true } });
    const additional = toActivationPayload({ kind: "additional-device", deviceName: "Tenovi Glucometer", existingGatewayId: "A1B2C3D4E5F6", shipping: SHIPPING });
    expect(additional.device).toMatchObject({ hardware_uuid: "A1B2C3D4E5F6", fulfillment_request: { client_will_fulfill: false } });
  });

  it("sends sms_opt_in true only when consent is recorded", () => {
    const payload = toActivationPayload({ kind: "on-site-gateway", deviceName: "Tenovi Scale", gatewayId: "X", patient: { externalId: "p", hasSmsConsent: true } });
    expect(payload.patient?.sms_opt_in).toBe(true);
  });

  it("the strict request schema rejects what Tenovi would (or what Pulseboard must never send)", () => {
    const base = { device: { name: "Tenovi Scale", hardware_uuid: "A1B2C3D4E5F6" } };
    expect(tenoviActivationPayloadSchema.safeParse(base).success).toBe(true);
    expect(tenoviActivationPayloadSchema.safeParse({ ...base, status: "x" }).success).toBe(false);
    expect(tenoviActivationPayloadSchema.safeParse({ device: { name: "Tenovi Scale", hardware_uuid: null } }).success).toBe(false);
    expect(tenoviActivationPayloadSchema.safeParse({ ...base, patient: { name: "No id", sms_opt_in: false } }).success).toBe(false);
    const fulfillment = { shipping_name: "A", shipping_address: "B", shipping_city: "C", shipping_state: "IL", shipping_zip_code: "62701", client_will_fulfill: false };
    const withEmails = (notify_emails: unknown) => ({ device: { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...fulfillment, notify_emails } } });
    expect(tenoviActivationPayloadSchema.safeParse(withEmails("a@example.com,b@example.com")).success).toBe(true);
    expect(tenoviActivationPayloadSchema.safeParse(withEmails(["a@example.com"])).success).toBe(false);
    expect(tenoviActivationPayloadSchema.safeParse(withEmails("a@example.com;b")).success).toBe(false);
    const clinicGatewayOnly = { device: { name: "Tenovi Scale", hardware_uuid: null, fulfillment_request: { ...fulfillment, client_will_fulfill: true, ship_gateway_only: true } } };
    expect(tenoviActivationPayloadSchema.safeParse(clinicGatewayOnly).success).toBe(false);
  });
});

describe("other request payloads", () => {
  it("hwi-patients: address lines joined, sms_opt_in false by default", () => {
    expect(
      toHwiPatientPayload({ externalId: "p-1", name: "A", address: { lines: ["1 Main St"], city: "Springfield", state: "il", zipCode: "62701" } }),
    ).toEqual({ external_id: "p-1", name: "A", sms_opt_in: false, address: "1 Main St", city: "Springfield", state: "IL", zip_code: "62701" });
  });

  it("replacements: device_types as [{name}], Gateway by name", () => {
    expect(
      toReplacementPayload({ hwiDeviceId: "d-1", deviceNames: ["Gateway"], shipping: { name: "A", addressLines: ["1 Main"], city: "B", state: "IL", zipCode: "62701" } }),
    ).toEqual({
      hwi_device_id: "d-1",
      device_types: [{ name: "Gateway" }],
      shipping_name: "A",
      shipping_address: "1 Main",
      shipping_city: "B",
      shipping_state: "IL",
      shipping_zip_code: "62701",
    });
  });
});
