import { describe, expect, it } from "vitest";

import type { Prisma } from "@/lib/generated/prisma/client";
import { listShipments, shipmentListSchema, shipmentStatuses } from "@/lib/queries/shipments";
import {
  DEFAULT_SHIPMENT_EXCEPTION_SETTINGS,
  describeException,
  SHIPMENT_SETTING_KEYS,
  shipmentExceptionSettings,
  type ShipmentExceptionSettings,
} from "@/lib/shipments/exceptions";
import { inIsolatedSchema } from "@/tests/isolated-schema";

const NOW = new Date("2026-03-10T12:00:00.000Z");
const DAY = 86_400_000;
const SECOND = 1_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const TABLES = ["Patient", "Device", "Shipment", "ShipmentStatusChange"];

type ShipmentSpec = {
  key: string;
  status: string;
  programStatus?: "enrolled" | "offboarded";
  createdAt?: Date;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
  // When the shipment entered `status`, as recorded in ShipmentStatusChange (none when omitted).
  changedAt?: Date;
  device?: { lastReadingAt: Date | null } | null;
};

let sequence = 0;

// Inserts a patient, optionally a device, and the shipment, with raw SQL so the rows land in the isolated schema.
async function insert(tx: Prisma.TransactionClient, spec: ShipmentSpec): Promise<void> {
  const n = ++sequence;
  const patientId = `pat-${spec.key}`;
  await tx.$executeRaw`INSERT INTO "Patient" (id, mrn, "firstName", "lastName", "dateOfBirth", status, "updatedAt")
                       VALUES (${patientId}, ${`SHIP-${n}`}, 'Test', ${spec.key}, DATE '1950-01-01', ${spec.programStatus ?? "enrolled"}::"ProgramStatus", now())`;
  const deviceId = spec.device === null ? null : `dev-${spec.key}`;
  if (deviceId) {
    await tx.$executeRaw`INSERT INTO "Device" (id, vendor, category, connectivity, "vendorType", "vendorDeviceId", lifecycle, "patientId", "lastReadingAt", "updatedAt")
                         VALUES (${deviceId}, 'tenovi', 'blood_pressure', 'gateway', 'Tenovi BPM - L', ${`hwi-${spec.key}`}, 'shipping', ${patientId},
                                 ${spec.device?.lastReadingAt ?? null}, now())`;
  }
  const createdAt = spec.createdAt ?? ago(30 * DAY);
  await tx.$executeRaw`INSERT INTO "Shipment" (id, "patientId", "deviceId", vendor, fulfiller, status, "shippingName", "addressLine1", city, state, "zipCode",
                                               "shippedAt", "deliveredAt", "createdAt", "updatedAt")
                       VALUES (${`shp-${spec.key}`}, ${patientId}, ${deviceId}, 'tenovi', 'vendor', ${spec.status}, 'Test', '1 Main St', 'Columbus', 'OH', '43215',
                               ${spec.shippedAt ?? null}, ${spec.deliveredAt ?? null}, ${createdAt}, ${NOW})`;
  if (spec.changedAt) {
    // An older change to another status must not count as the time the current one began.
    await tx.$executeRaw`INSERT INTO "ShipmentStatusChange" (id, "shipmentId", status, source, "occurredAt")
                         VALUES (${`chg-old-${spec.key}`}, ${`shp-${spec.key}`}, 'Pending Shipment', 'webhook', ${ago(60 * DAY)}),
                                (${`chg-${spec.key}`}, ${`shp-${spec.key}`}, ${spec.status}, 'webhook', ${spec.changedAt})`;
  }
}

async function exceptions(tx: Prisma.TransactionClient, settings: ShipmentExceptionSettings = DEFAULT_SHIPMENT_EXCEPTION_SETTINGS) {
  const page = await listShipments(shipmentListSchema.parse({ view: "exceptions", size: "100", sort: "createdAt" }), settings, NOW, tx);
  return Object.fromEntries(page.rows.map((r) => [r.patient.name.replace("Test", "").replace(", ", ""), r.reason]));
}

describe("shipment exceptions", () => {
  it("flags each rule, counting from exactly N days, and nothing else", async () => {
    await inIsolatedSchema(TABLES, async (tx) => {
      const specs: ShipmentSpec[] = [
        // Stuck in a shipping state (default 7 days), by status-change time, shippedAt or createdAt.
        { key: "stuckExactly7d", status: "Shipped", changedAt: ago(7 * DAY) },
        { key: "shippedJustUnder7d", status: "Shipped", changedAt: ago(7 * DAY - SECOND) },
        { key: "pendingByCreatedAt", status: "Pending Shipment", createdAt: ago(8 * DAY) },
        { key: "pendingNew", status: "Pending Shipment", createdAt: ago(2 * DAY) },
        { key: "dropshippedByShippedAt", status: "Dropshipped", createdAt: ago(20 * DAY), shippedAt: ago(7 * DAY) },
        { key: "lowercaseShipped", status: "shipped", createdAt: ago(9 * DAY) },
        // Delivered without a first reading (default 5 days).
        { key: "deliveredExactly5d", status: "Delivered", deliveredAt: ago(5 * DAY), device: { lastReadingAt: null } },
        { key: "deliveredJustUnder5d", status: "Delivered", deliveredAt: ago(5 * DAY - SECOND), device: { lastReadingAt: null } },
        { key: "deliveredAndMeasuring", status: "Delivered", deliveredAt: ago(10 * DAY), device: { lastReadingAt: ago(9 * DAY) } },
        { key: "deliveredOnlyOldReadings", status: "Delivered", deliveredAt: ago(10 * DAY), device: { lastReadingAt: ago(40 * DAY) } },
        { key: "deliveredByStatusChange", status: "Delivered", changedAt: ago(6 * DAY), device: { lastReadingAt: null } },
        { key: "gatewayOnlyDelivered", status: "Delivered", deliveredAt: ago(10 * DAY), device: null },
        { key: "connected", status: "Connected", deliveredAt: ago(10 * DAY), device: { lastReadingAt: ago(1 * DAY) } },
        // Always exceptions while the patient is enrolled.
        { key: "returned", status: "Returned", changedAt: ago(1 * DAY) },
        { key: "clientAction", status: "Client Action Required", changedAt: ago(1 * SECOND) },
        { key: "onHold", status: "On Hold", createdAt: ago(1 * DAY) },
        // An offboarded patient's returned device is expected, not an exception.
        { key: "offboardedReturn", status: "Returned", programStatus: "offboarded" },
        { key: "offboardedStuck", status: "Shipped", programStatus: "offboarded", shippedAt: ago(30 * DAY) },
      ];
      for (const spec of specs) await insert(tx, spec);

      expect(await exceptions(tx)).toEqual({
        stuckExactly7d: "stuck",
        pendingByCreatedAt: "stuck",
        dropshippedByShippedAt: "stuck",
        lowercaseShipped: "stuck",
        deliveredExactly5d: "no_first_reading",
        deliveredOnlyOldReadings: "no_first_reading",
        deliveredByStatusChange: "no_first_reading",
        returned: "returned",
        clientAction: "client_action",
        onHold: "on_hold",
      });
      // The tabs count the whole worklist, whatever the list shows.
      const tabs = { stuck: 4, no_first_reading: 3, returned: 1, client_action: 1, on_hold: 1 };
      for (const raw of [{}, { view: "exceptions", reason: "returned" }, { status: "Delivered", q: "nobody" }]) {
        const page = await listShipments(shipmentListSchema.parse(raw), DEFAULT_SHIPMENT_EXCEPTION_SETTINGS, NOW, tx);
        expect(page.exceptionCounts).toEqual(tabs);
      }

      // Other thresholds move the boundaries.
      const strict = await exceptions(tx, { stuckAfterDays: 2, noReadingAfterDays: 11 });
      expect(strict).toMatchObject({ pendingNew: "stuck", shippedJustUnder7d: "stuck" });
      expect(strict).not.toHaveProperty("deliveredExactly5d");
      expect(strict).not.toHaveProperty("deliveredOnlyOldReadings");
    });
  });

  it("lists every shipment with its state age, filtered by reason, status, vendor and search, sorted and paged", async () => {
    await inIsolatedSchema(TABLES, async (tx) => {
      await insert(tx, { key: "alpha", status: "Shipped", changedAt: ago(3 * DAY) });
      await insert(tx, { key: "bravo", status: "Shipped", changedAt: ago(10 * DAY) });
      await insert(tx, { key: "charlie", status: "Delivered", deliveredAt: ago(1 * DAY), device: { lastReadingAt: ago(1000) } });
      await insert(tx, { key: "delta", status: "On Hold", createdAt: ago(4 * DAY) });
      const list = (raw: Record<string, string>) => listShipments(shipmentListSchema.parse(raw), DEFAULT_SHIPMENT_EXCEPTION_SETTINGS, NOW, tx);

      const all = await list({ sort: "stateSince", dir: "asc" });
      expect(all.total).toBe(4);
      expect(all.rows.map((r) => [r.patient.name, r.stateSince])).toEqual([
        ["bravo, Test", ago(10 * DAY)],
        ["delta, Test", ago(4 * DAY)],
        ["alpha, Test", ago(3 * DAY)],
        ["charlie, Test", ago(1 * DAY)],
      ]);
      expect(all.rows[0]?.device).toEqual({ id: "dev-bravo", vendorType: "Tenovi BPM - L", identifier: "hwi-bravo" });

      const paged = await list({ sort: "stateSince", dir: "asc", size: "25", page: "2" });
      expect(paged).toMatchObject({ total: 4, rows: [] });
      expect((await list({ status: "shipped" })).rows.map((r) => r.patient.name).sort()).toEqual(["alpha, Test", "bravo, Test"]);
      expect((await list({ view: "exceptions", reason: "on_hold" })).rows.map((r) => r.patient.name)).toEqual(["delta, Test"]);
      expect((await list({ q: "charl" })).rows.map((r) => r.status)).toEqual(["Delivered"]);
      expect((await list({ q: "hwi-alpha" })).total).toBe(1);
      expect((await list({ vendor: "validic" })).total).toBe(0);
      expect(await shipmentStatuses(tx)).toEqual(["Delivered", "On Hold", "Shipped"]);
    });
  });

  it("keeps each shipment's status key and state start up to date, whatever writes the shipment or its status changes", async () => {
    await inIsolatedSchema(TABLES, async (tx) => {
      await insert(tx, { key: "one", status: "Shipped", createdAt: ago(30 * DAY), shippedAt: ago(9 * DAY) });
      await insert(tx, { key: "two", status: "Pending Shipment", createdAt: ago(20 * DAY) });
      const state = async () =>
        Object.fromEntries(
          (await tx.$queryRaw<{ id: string; statusKey: string; stateSince: Date }[]>`SELECT id, "statusKey", "stateSince" FROM "Shipment" ORDER BY id`).map(
            (r) => [r.id, [r.statusKey, r.stateSince]],
          ),
        );
      const change = (shipmentId: string, status: string, at: Date) =>
        tx.$executeRaw`INSERT INTO "ShipmentStatusChange" (id, "shipmentId", status, source, "occurredAt") VALUES (${`c-${++sequence}`}, ${shipmentId}, ${status}, 'webhook', ${at})`;

      expect(await state()).toEqual({ "shp-one": ["shipped", ago(9 * DAY)], "shp-two": ["pending shipment", ago(20 * DAY)] });
      // A change to the current status (in any case) is when the state began; a change to another status is not.
      await change("shp-one", "SHIPPED", ago(8 * DAY));
      await change("shp-one", "Pending Shipment", ago(29 * DAY));
      expect((await state())["shp-one"]).toEqual(["shipped", ago(8 * DAY)]);

      // A new status counts from its date until its own change is recorded.
      await tx.$executeRaw`UPDATE "Shipment" SET status = 'Delivered', "deliveredAt" = ${ago(2 * DAY)} WHERE id = 'shp-one'`;
      expect((await state())["shp-one"]).toEqual(["delivered", ago(2 * DAY)]);
      await change("shp-one", "Delivered", ago(3 * DAY));
      expect((await state())["shp-one"]).toEqual(["delivered", ago(3 * DAY)]);

      // Written by hand, the columns are set again from the shipment.
      await tx.$executeRaw`UPDATE "Shipment" SET "statusKey" = 'returned', "stateSince" = ${ago(100 * DAY)}`;
      expect(await state()).toEqual({ "shp-one": ["delivered", ago(3 * DAY)], "shp-two": ["pending shipment", ago(20 * DAY)] });

      // Changes inserted together move every shipment they name.
      await tx.$executeRaw`INSERT INTO "ShipmentStatusChange" (id, "shipmentId", status, source, "occurredAt")
                           VALUES ('c-a', 'shp-one', 'Delivered', 'poll', ${ago(1 * DAY)}), ('c-b', 'shp-two', 'Pending Shipment', 'poll', ${ago(5 * DAY)})`;
      expect(await state()).toEqual({ "shp-one": ["delivered", ago(1 * DAY)], "shp-two": ["pending shipment", ago(5 * DAY)] });
    });
  });

  it("reads its thresholds from clinic settings, falling back to 7 and 5 days", async () => {
    await inIsolatedSchema([], async (tx) => {
      await tx.clinicSetting.deleteMany({ where: { key: { in: Object.values(SHIPMENT_SETTING_KEYS) } } });
      expect(await shipmentExceptionSettings(tx)).toEqual({ stuckAfterDays: 7, noReadingAfterDays: 5 });
      await tx.clinicSetting.create({ data: { key: SHIPMENT_SETTING_KEYS.stuckAfterDays, value: 10 } });
      await tx.clinicSetting.create({ data: { key: SHIPMENT_SETTING_KEYS.noReadingAfterDays, value: "nonsense" } });
      expect(await shipmentExceptionSettings(tx)).toEqual({ stuckAfterDays: 10, noReadingAfterDays: 5 });
    });
  });

  it("says why a row is on the worklist", () => {
    const row = { status: "Shipped", stateSince: ago(9 * DAY), vendor: "tenovi" };
    expect(describeException({ ...row, reason: "stuck" }, DEFAULT_SHIPMENT_EXCEPTION_SETTINGS, NOW)).toBe(
      "“Shipped” for 9 days; expected to move on within 7 days.",
    );
    expect(describeException({ ...row, reason: "no_first_reading", stateSince: ago(DAY) }, DEFAULT_SHIPMENT_EXCEPTION_SETTINGS, NOW)).toMatch(
      /^Delivered 1 day ago and no reading yet/,
    );
  });
});
