import { textArrayLiteral } from "@/lib/database/array-literal";
import { queryRows } from "@/lib/database/query-rows";
import type { TransactionConnection } from "@/lib/database/transaction-connection";
import { Prisma, type Vendor } from "@/lib/generated/prisma/client";

type DeviceRef = { id: string; patientId: string | null };

// Who a reading belongs to: its patient (null = unmatched queue) and device (null = unknown device).
export type Attribution = { patientId: string | null; deviceId: string | null };

// Looks up patients and devices for one processing run, remembering answers (a batch repeats the same user). The
// lookups go on the run's transaction connection: a batch makes hundreds, and through Prisma each cost ~0.8 ms of CPU.
export function createAttributor(sql: TransactionConnection) {
  const rows = <T>(query: Prisma.Sql) => queryRows<T>(sql, query);
  const cache = new Map<string, Promise<unknown>>();
  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const loaded = load();
    cache.set(key, loaded);
    return loaded;
  }

  // Fills the cache with the answers of many lookups in one query; later single lookups are then cache hits. The
  // queries take one array literal (lib/database/array-literal.ts), one parameter however many values.
  async function prime<T>(prefix: string, keys: (string | null | undefined)[], load: (wanted: string[]) => Promise<Map<string, T>>, missing: T) {
    const wanted = [...new Set(keys.filter((key): key is string => Boolean(key)))].filter((key) => !cache.has(`${prefix}:${key}`));
    if (wanted.length === 0) return;
    const found = await load(wanted);
    for (const key of wanted) cache.set(`${prefix}:${key}`, Promise.resolve(found.get(key) ?? missing));
  }

  return {
    // Loads the patients of many vendor accounts at once (a push batch names hundreds), for patientByIdentity.
    primeIdentities(vendor: Vendor, externalIds: (string | null | undefined)[]): Promise<void> {
      return prime(`identity:${vendor}`, externalIds, async (wanted) => {
        const found = await rows<{ externalId: string; patientId: string }>(Prisma.sql`
          SELECT "externalId", "patientId" FROM "VendorIdentity" WHERE vendor = ${vendor}::"Vendor" AND "externalId" = ANY(${textArrayLiteral(wanted)}::text[])`);
        return new Map(found.map((row) => [row.externalId, row.patientId]));
      }, null);
    },
    // Loads many cellular devices by IMEI at once, for deviceByImei.
    primeDevicesByImei(vendor: Vendor, imeis: (string | null | undefined)[]): Promise<void> {
      return prime<DeviceRef | null>(`imei:${vendor}`, imeis, async (wanted) => {
        const found = await rows<{ id: string; patientId: string | null; imei: string | null }>(Prisma.sql`
          SELECT id, "patientId", imei FROM "Device" WHERE vendor = ${vendor}::"Vendor" AND imei = ANY(${textArrayLiteral(wanted)}::text[])`);
        return new Map(found.map((row) => [row.imei ?? "", { id: row.id, patientId: row.patientId }]));
      }, null);
    },
    // Loads many devices by the vendor's own device id at once (a bulk of Tenovi webhooks), for deviceByVendorId.
    primeDevicesByVendorId(vendor: Vendor, vendorDeviceIds: (string | null | undefined)[]): Promise<void> {
      return prime<DeviceRef | null>(`device:${vendor}`, vendorDeviceIds, async (wanted) => {
        const found = await rows<{ id: string; patientId: string | null; vendorDeviceId: string | null }>(Prisma.sql`
          SELECT id, "patientId", "vendorDeviceId" FROM "Device" WHERE vendor = ${vendor}::"Vendor" AND "vendorDeviceId" = ANY(${textArrayLiteral(wanted)}::text[])`);
        return new Map(found.map((row) => [row.vendorDeviceId ?? "", { id: row.id, patientId: row.patientId }]));
      }, null);
    },
    // Answers patientForDevice for many (device, time) pairs in one query: the covering assignment, else the device's
    // current patient, exactly as the single lookup decides.
    async primeHolders(pairs: { device: DeviceRef; measuredAt: Date }[]): Promise<void> {
      const wanted = new Map<string, { device: DeviceRef; measuredAt: Date }>();
      for (const pair of pairs) {
        const key = `holder:${pair.device.id}:${pair.measuredAt.toISOString()}`;
        if (!cache.has(key)) wanted.set(key, pair);
      }
      if (wanted.size === 0) return;
      const list = [...wanted.values()];
      const holders = await rows<{ ord: bigint; patientId: string | null }>(Prisma.sql`
        SELECT p.ord, a."patientId"
          FROM unnest(${textArrayLiteral(list.map((pair) => pair.device.id))}::text[], ${textArrayLiteral(list.map((pair) => pair.measuredAt.toISOString()))}::timestamp(3)[])
               WITH ORDINALITY AS p(device_id, measured_at, ord)
          LEFT JOIN LATERAL (
            SELECT "patientId" FROM "DeviceAssignment"
             WHERE "deviceId" = p.device_id AND "startedAt" <= p.measured_at AND ("endedAt" IS NULL OR "endedAt" > p.measured_at)
             ORDER BY "startedAt" DESC LIMIT 1) AS a ON true`);
      const found = new Map(holders.map((row) => [Number(row.ord), row.patientId]));
      [...wanted.entries()].forEach(([key, pair], index) => cache.set(key, Promise.resolve(found.get(index + 1) ?? pair.device.patientId)));
    },
    // The patient holding this vendor account (Tenovi external_id, Validic uid).
    patientByIdentity(vendor: Vendor, externalId: string | null | undefined): Promise<string | null> {
      if (!externalId) return Promise.resolve(null);
      return once(`identity:${vendor}:${externalId}`, async () => {
        const [identity] = await rows<{ patientId: string }>(Prisma.sql`
          SELECT "patientId" FROM "VendorIdentity" WHERE vendor = ${vendor}::"Vendor" AND "externalId" = ${externalId}`);
        return identity?.patientId ?? null;
      });
    },
    // A device by the vendor's own device id (Tenovi hwi_device_id).
    deviceByVendorId(vendor: Vendor, vendorDeviceId: string): Promise<DeviceRef | null> {
      return once(`device:${vendor}:${vendorDeviceId}`, async () => {
        const [device] = await rows<DeviceRef>(Prisma.sql`
          SELECT id, "patientId" FROM "Device" WHERE vendor = ${vendor}::"Vendor" AND "vendorDeviceId" = ${vendorDeviceId}`);
        return device ?? null;
      });
    },
    // A cellular device by IMEI (Validic Smart Meter `source.device.id`).
    deviceByImei(vendor: Vendor, imei: string | null | undefined): Promise<DeviceRef | null> {
      if (!imei) return Promise.resolve(null);
      return once(`imei:${vendor}:${imei}`, async () => {
        const [device] = await rows<DeviceRef>(Prisma.sql`SELECT id, "patientId" FROM "Device" WHERE vendor = ${vendor}::"Vendor" AND imei = ${imei}`);
        return device ?? null;
      });
    },
    // The patient who had the device when it measured: the assignment covering that time, else its current patient.
    // Readings stay with the patient of their period even after the device moves on.
    patientForDevice(device: DeviceRef, measuredAt: Date): Promise<string | null> {
      return once(`holder:${device.id}:${measuredAt.toISOString()}`, async () => {
        const [assignment] = await rows<{ patientId: string }>(Prisma.sql`
          SELECT "patientId" FROM "DeviceAssignment"
           WHERE "deviceId" = ${device.id} AND "startedAt" <= ${measuredAt}::timestamp(3) AND ("endedAt" IS NULL OR "endedAt" > ${measuredAt}::timestamp(3))
           ORDER BY "startedAt" DESC LIMIT 1`);
        return assignment?.patientId ?? device.patientId;
      });
    },
  };
}

// The lookups of one processing run.
export type Attributor = ReturnType<typeof createAttributor>;
