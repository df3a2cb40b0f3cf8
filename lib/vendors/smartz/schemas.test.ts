import { describe, expect, it } from "vitest";

import { SMARTZ_SAMPLES, SMARTZ_SEED } from "@/lib/vendors/smartz/fixtures";
import {
  isKnownSmartzEventType,
  smartzAlertSchema,
  smartzApimErrorSchema,
  smartzDeviceSchema,
  smartzEventSchema,
  smartzListSchema,
  smartzManufacturerSchema,
  smartzOrganisationSchema,
  smartzPatientSchema,
  smartzPatientStatusSchema,
  smartzProductSchema,
  smartzTokenResponseSchema,
} from "@/lib/vendors/smartz/schemas";

describe("Smartz schemas", () => {
  it("ASSUMPTION: parse an RFC 6749 token response, with or without token_type, expires_in as number or string", () => {
    expect(smartzTokenResponseSchema.parse(SMARTZ_SAMPLES.token)).toEqual(SMARTZ_SAMPLES.token);
    expect(smartzTokenResponseSchema.parse(SMARTZ_SAMPLES.tokenWithoutType)).toEqual({ access_token: SMARTZ_SAMPLES.tokenWithoutType.access_token, expires_in: 1800 });
  });

  it("reject a token response without a token or a usable lifetime", () => {
    expect(smartzTokenResponseSchema.safeParse({ expires_in: 3600 }).success).toBe(false);
    expect(smartzTokenResponseSchema.safeParse({ access_token: "", expires_in: 3600 }).success).toBe(false);
    expect(smartzTokenResponseSchema.safeParse({ access_token: "x", expires_in: 0 }).success).toBe(false);
    expect(smartzTokenResponseSchema.safeParse({ access_token: "x" }).success).toBe(false);
  });

  it("ASSUMPTION: parse APIM {statusCode, message} error bodies", () => {
    expect(smartzApimErrorSchema.parse(SMARTZ_SAMPLES.apimMissingKey).statusCode).toBe(401);
    expect(smartzApimErrorSchema.parse(SMARTZ_SAMPLES.apimRateLimited).message).toMatch(/Rate limit/);
  });

  it("ASSUMPTION: parse the organisation, dropping fields we do not know", () => {
    expect(smartzOrganisationSchema.parse(SMARTZ_SAMPLES.organisation)).toEqual({
      id: "org-5e21",
      name: "Pulseboard Demo Care Home",
      timezone: "America/New_York",
      createdAt: "2025-01-06T15:00:00Z",
    });
  });

  it("ASSUMPTION: parse a {data, nextCursor, hasMore} list and turn numeric ids into strings", () => {
    const page = smartzListSchema(smartzManufacturerSchema).parse(SMARTZ_SAMPLES.manufacturers);
    expect(page).toEqual({ items: [{ id: "1001", name: "Demo Continence Products", country: "US" }], nextCursor: null, hasMore: false });
  });

  it("ASSUMPTION: accept a bare array, {value} and {items, cursor} as list envelopes", () => {
    expect(smartzListSchema(smartzProductSchema).parse(SMARTZ_SAMPLES.productsBare).items).toHaveLength(1);
    const devices = smartzListSchema(smartzDeviceSchema).parse(SMARTZ_SAMPLES.devicesAzure);
    expect(devices.items.map((d) => d.type)).toEqual(["node", "pod", "clip"]);
    expect(devices.hasMore).toBe(false);
    const patients = smartzListSchema(smartzPatientSchema).parse(SMARTZ_SAMPLES.patientsItems);
    expect(patients.nextCursor).toBe("c2");
    // A cursor without hasMore means there may be more.
    expect(patients.hasMore).toBe(true);
    expect(patients.items[1]?.podIds).toEqual([]);
  });

  it("reject an envelope that has no list in it rather than reading it as empty", () => {
    expect(smartzListSchema(smartzPatientSchema).safeParse({ nextCursor: null }).success).toBe(false);
    expect(smartzListSchema(smartzPatientSchema).safeParse({ results: [] }).success).toBe(false);
  });

  it("ASSUMPTION: parse patient status, events (keeping unknown types) and alerts", () => {
    expect(smartzPatientStatusSchema.parse(SMARTZ_SAMPLES.patientStatus).diaperState).toBe("wet");
    const events = smartzListSchema(smartzEventSchema).parse(SMARTZ_SAMPLES.events);
    expect(events.items.map((e) => e.type)).toEqual(["void", "wet", "change", "leak"]);
    expect(events.items.map((e) => isKnownSmartzEventType(e.type))).toEqual([true, true, true, false]);
    expect(events.nextCursor).toBe("evt:44");
    expect(smartzListSchema(smartzAlertSchema).parse(SMARTZ_SAMPLES.alerts).items[0]?.resolvedAt).toBe("2025-03-01T08:31:00.000Z");
  });

  it("reject an event without a parsable occurredAt", () => {
    expect(smartzEventSchema.safeParse({ id: "e", patientId: "p", type: "void", occurredAt: "yesterday" }).success).toBe(false);
  });

  it("accept the simulator's seed as valid wire data", () => {
    expect(smartzOrganisationSchema.parse(SMARTZ_SEED.organisation)).toEqual(SMARTZ_SEED.organisation);
    for (const device of SMARTZ_SEED.devices) expect(smartzDeviceSchema.parse(device)).toEqual(device);
    for (const patient of SMARTZ_SEED.patients) expect(smartzPatientSchema.parse(patient)).toEqual(patient);
    for (const product of SMARTZ_SEED.products) expect(smartzProductSchema.parse(product)).toEqual(product);
  });
});
