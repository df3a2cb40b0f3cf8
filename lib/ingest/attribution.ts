import type { Vendor } from "@/lib/generated/prisma/client";
import type { IngestTx } from "@/lib/ingest/process-context";

type DeviceRef = { id: string; patientId: string | null };

// Who a reading belongs to: its patient (null = unmatched queue) and device (null = unknown device).
export type Attribution = { patientId: string | null; deviceId: string | null };

// Looks up patients and devices for one processing run, remembering answers (a batch repeats the same user).
export function createAttributor(tx: IngestTx) {
  const cache = new Map<string, Promise<unknown>>();
  function once<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const loaded = load();
    cache.set(key, loaded);
    return loaded;
  }

  return {
    // The patient holding this vendor account (Tenovi external_id, Validic uid).
    patientByIdentity(vendor: Vendor, externalId: string | null | undefined): Promise<string | null> {
      if (!externalId) return Promise.resolve(null);
      return once(`identity:${vendor}:${externalId}`, async () => {
        const identity = await tx.vendorIdentity.findUnique({ where: { vendor_externalId: { vendor, externalId } }, select: { patientId: true } });
        return identity?.patientId ?? null;
      });
    },
    // A device by the vendor's own device id (Tenovi hwi_device_id).
    deviceByVendorId(vendor: Vendor, vendorDeviceId: string): Promise<DeviceRef | null> {
      return once(`device:${vendor}:${vendorDeviceId}`, () =>
        tx.device.findUnique({ where: { vendor_vendorDeviceId: { vendor, vendorDeviceId } }, select: { id: true, patientId: true } }),
      );
    },
    // A cellular device by IMEI (Validic Smart Meter `source.device.id`).
    deviceByImei(vendor: Vendor, imei: string | null | undefined): Promise<DeviceRef | null> {
      if (!imei) return Promise.resolve(null);
      return once(`imei:${vendor}:${imei}`, () =>
        tx.device.findUnique({ where: { vendor_imei: { vendor, imei } }, select: { id: true, patientId: true } }),
      );
    },
    // The patient who had the device when it measured: the assignment covering that time, else its current patient.
    // Readings stay with the patient of their period even after the device moves on.
    patientForDevice(device: DeviceRef, measuredAt: Date): Promise<string | null> {
      return once(`holder:${device.id}:${measuredAt.toISOString()}`, async () => {
        const assignment = await tx.deviceAssignment.findFirst({
          where: { deviceId: device.id, startedAt: { lte: measuredAt }, OR: [{ endedAt: null }, { endedAt: { gt: measuredAt } }] },
          orderBy: { startedAt: "desc" },
          select: { patientId: true },
        });
        return assignment?.patientId ?? device.patientId;
      });
    },
  };
}

// The lookups of one processing run.
export type Attributor = ReturnType<typeof createAttributor>;
