import { describe, expect, it } from "vitest";

import {
  CONNECT_REQUEST_BODY,
  CONNECT_RESPONSE,
  DISCONNECT_ALL_RESPONSE,
  DISCONNECT_RESPONSE,
  parseDocSample,
  PROVISION_REQUEST_BODY,
  PROVISION_RESPONSE,
  PUSH_EXAMPLE_PAYLOAD,
  SMART_METER_RECORD,
} from "@/lib/vendors/validic/fixtures";
import {
  connectRequestSchema,
  directConnectionSchema,
  disconnectAllSchema,
  validicPushBatchSchema,
  validicPushEnvelopeSchema,
  validicRecordSchema,
  validicUserSchema,
} from "@/lib/vendors/validic/schemas";

describe("Validic vendor-docs samples", () => {
  it("keep the pages' no-break-space indentation, which plain JSON.parse rejects", () => {
    expect(PROVISION_RESPONSE).toContain("\u00a0");
    expect(() => JSON.parse(PROVISION_RESPONSE)).toThrow();
  });

  it("provision request and response parse", () => {
    expect(parseDocSample(PROVISION_REQUEST_BODY)).toEqual({ uid: "277040620sol3" });
    const user = validicUserSchema.parse(parseDocSample(PROVISION_RESPONSE));
    expect(user).toMatchObject({ id: "59b0664cf758800001e13ea9", uid: "277040620sol3", sources: [], created_at: "2023-07-06T21:19:08Z" });
    expect(user.marketplace.url).toBe(`https://syncmydevice.com?token=${user.marketplace.token}`);
    expect(user.mobile?.token).toBe("7c001f84255SAMPLE8c168ba563035");
  });

  it("connect request body has exactly token, device_id and device_type, all strings", () => {
    const body = connectRequestSchema.parse(parseDocSample(CONNECT_REQUEST_BODY));
    expect(body).toEqual({ token: "02f0c59b63310f7cec951a5027d1e8SAMPLEec1dfd5f7e1f6927", device_id: "123453782873223", device_type: "blood_glucose" });
    expect(connectRequestSchema.safeParse({ ...body, extra: "x" }).success).toBe(false);
    expect(connectRequestSchema.safeParse({ ...body, device_id: 123453782873223 }).success).toBe(false);
  });

  it("connect and disconnect responses parse", () => {
    expect(directConnectionSchema.parse(parseDocSample(CONNECT_RESPONSE))).toMatchObject({
      credentials: { device_id: "123453782873223", device_type: "blood_glucose", device_name: null },
      type: "smart_meter",
      created_at: "2023-10-01T15:53:41Z",
    });
    expect(directConnectionSchema.parse(parseDocSample(DISCONNECT_RESPONSE))).toMatchObject({
      deleted_at: "2023-10-10T17:47:15Z",
      deleted_reason: "User disconnected from Direct Endpoint",
    });
    const all = disconnectAllSchema.parse(parseDocSample(DISCONNECT_ALL_RESPONSE));
    expect(all.meta.total).toBe(2);
    expect(all.connections.map((c) => [c.credentials.device_id, c.credentials.device_type, c.credentials.device_name])).toEqual([
      ["111111111111111", "blood_pressure", ""],
      ["222222222222222", "weight_scale", ""],
    ]);
  });

  it("the Smart Meter record parses (a pulse-oximeter record, whatever the caption says)", () => {
    const record = validicRecordSchema.parse(parseDocSample(SMART_METER_RECORD));
    expect(record.source).toEqual({ type: "smart_meter", device: { id: "111111111111111", model: "smc-ox", manufacturer: "smart meter", diagnostics: [] } });
    expect(record.metrics).toEqual([
      { type: "spo2", origin: "device", unit: "percent", value: 99 },
      { type: "pulse", origin: "device", unit: "bpm", value: 82 },
    ]);
    expect(record).toMatchObject({ utc_offset: -14400, deleted_at: null, type: "measurement", user: { uid: "123456" } });
  });

  it("the push example lacks its closing brace as published; completed, it parses with unknown fields and metric types kept", () => {
    expect(() => parseDocSample(PUSH_EXAMPLE_PAYLOAD)).toThrow(SyntaxError);
    const batch = validicPushBatchSchema.parse(parseDocSample(`${PUSH_EXAMPLE_PAYLOAD}\n}`));
    expect(batch.id).toBe("d1ffd05a-4a03-421c-8a35-1fa898e9cc24");
    expect(batch.meta.count).toBe(1);
    const [record] = batch.data;
    expect(record?.type).toBe("nutrition");
    expect(record?.source.device).toBeNull();
    // Extra fields (category, name, segments) and unknown metric types survive the parse.
    expect(record).toMatchObject({ category: "other", name: "Unknown", segments: [] });
    expect(record?.metrics.map((m) => m.type)).toEqual(["energy_consumed", "dietary_fiber", "water", "carbohydrate", "fat", "protein", "sodium"]);
  });

  it("the push envelope leaves records unparsed, so one odd record cannot reject a batch", () => {
    const envelope = validicPushEnvelopeSchema.parse({ id: "b1", data: [{ odd: true }], meta: { count: 1 } });
    expect(envelope.data).toEqual([{ odd: true }]);
    expect(validicPushBatchSchema.safeParse(envelope).success).toBe(false);
  });

  it("tags and user notes carry the out-of-bounds glucose flag and meal context", () => {
    const sample = parseDocSample(SMART_METER_RECORD) as Record<string, unknown>;
    const record = validicRecordSchema.parse({
      ...sample,
      metrics: [{ type: "blood_glucose", origin: "device", unit: "mg/dL", value: 650 }],
      tags: [{ name: "out_of_bounds_blood_glucose", value: "high" }],
      user_notes: [{ type: "relationship_to_meal", value: "before" }],
    });
    expect(record.tags).toEqual([{ name: "out_of_bounds_blood_glucose", value: "high" }]);
    expect(record.metrics[0]?.value).toBe(650);
  });
});
