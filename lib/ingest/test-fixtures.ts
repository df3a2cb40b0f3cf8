import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

import { db } from "@/lib/db";
import type { DeviceCategory, Vendor } from "@/lib/generated/prisma/client";
import { drainIngestEvents } from "@/lib/ingest/drain";
import { uniqueId } from "@/lib/ingest/payload-fixtures";

// Database factories for the ingest tests (every test file shares one database, so ids are random), a real HTTP
// server in front of route handlers, and the worker's part after a receiver's 200. Payloads: payload-fixtures.ts.

// An enrolled patient with a unique MRN.
export async function createPatient() {
  return db.patient.create({
    data: { mrn: uniqueId("mrn"), firstName: "Test", lastName: "Patient", dateOfBirth: new Date("1950-01-01") },
  });
}

// Links a patient to a vendor account (Validic uid, Tenovi external_id).
export async function createIdentity(patientId: string, vendor: Vendor, externalId: string) {
  return db.vendorIdentity.create({ data: { patientId, vendor, externalId } });
}

// A device, optionally on a new gateway.
export async function createDevice(data: {
  vendor: Vendor;
  patientId?: string | null;
  vendorDeviceId?: string;
  imei?: string;
  category?: DeviceCategory;
  lifecycle?: "in_stock" | "assigned" | "shipping" | "delivered" | "active" | "silent";
  gatewayUuid?: string;
}) {
  const gateway = data.gatewayUuid
    ? await db.gateway.create({ data: { gatewayUuid: data.gatewayUuid, vendor: data.vendor, patientId: data.patientId ?? null } })
    : null;
  return db.device.create({
    data: {
      vendor: data.vendor,
      category: data.category ?? "blood_pressure",
      connectivity: data.imei ? "cellular" : "gateway",
      vendorType: data.vendor === "tenovi" ? "Tenovi BPM - L" : "blood_pressure",
      vendorDeviceId: data.vendorDeviceId,
      imei: data.imei,
      patientId: data.patientId ?? null,
      lifecycle: data.lifecycle ?? "shipping",
      gatewayId: gateway?.id,
    },
  });
}

// A vendor-fulfilled shipment for a device, still open.
export async function createShipment(patientId: string, deviceId: string, status = "Dropship Requested") {
  return db.shipment.create({
    data: {
      patientId,
      deviceId,
      vendor: "tenovi",
      fulfiller: "vendor",
      status,
      shippingName: "Test Patient",
      addressLine1: "1 Main St",
      city: "Springfield",
      state: "IL",
      zipCode: "62701",
    },
  });
}

// Readings of one vendor record, in a comparable form (no ids or timestamps of our own).
export async function readingsOf(vendor: Vendor, vendorRecordIds: string[]) {
  const rows = await db.reading.findMany({
    where: { vendor, vendorRecordId: { in: vendorRecordIds } },
    orderBy: [{ vendorRecordId: "asc" }, { metric: "asc" }],
  });
  return rows.map(({ id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ingestEventId: _event, ...rest }) => rest);
}

type Handler = (request: Request) => Promise<Response>;

// A real HTTP server on an ephemeral port that hands each request, body streamed, to a route handler by path,
// the way Next.js does; for showing the receivers over the wire.
export async function startRouteServer(routes: Record<string, Handler>): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const handler = routes[url.pathname];
    const reply = async () => {
      if (!handler || req.method !== "POST") {
        res.writeHead(handler ? 405 : 404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const init: RequestInit & { duplex: "half" } = {
        method: req.method,
        headers,
        body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
        duplex: "half",
      };
      const response = await handler(new Request(url, init));
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      res.end(Buffer.from(await response.arrayBuffer()));
    };
    void reply().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

// What the worker does after the receiver's 200: the drain (Tenovi webhooks in bulk), limited to these events since
// every test file shares one database. Returns each event's status afterwards.
export async function drainEvents(eventIds: (string | bigint)[]): Promise<string[]> {
  const ids = eventIds.map((id) => BigInt(id));
  await drainIngestEvents({ scope: { eventIds: ids } });
  const rows = await db.ingestEvent.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  return ids.map((id) => rows.find((row) => row.id === id)?.status ?? "missing");
}

// A receiver route followed by the worker's part: an accepted event is drained before the answer goes back, so a
// test that sends through a simulator finds the readings stored as soon as the simulator returns.
export function drainingAfter(route: (request: Request) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    const response = await route(request);
    if (response.status !== 200) return response;
    const body = (await response.clone().json()) as { eventId?: string };
    if (body.eventId) await drainEvents([body.eventId]);
    return response;
  };
}
