import { z } from "zod";

import { db, type Database } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// ClinicSetting key: days without a reading after which an active device counts as silent.
export const SILENT_AFTER_DAYS_SETTING = "devices.silentAfterDays";
// The threshold when the clinic has not set one.
export const DEFAULT_SILENT_AFTER_DAYS = 3;

// The clinic's silent-device threshold in days (the default when unset or not a positive number).
export async function silentAfterDays(client: Pick<Prisma.TransactionClient, "clinicSetting"> = db): Promise<number> {
  const setting = await client.clinicSetting.findUnique({ where: { key: SILENT_AFTER_DAYS_SETTING } });
  const parsed = z.coerce.number().positive().safeParse(setting?.value);
  return parsed.success ? parsed.data : DEFAULT_SILENT_AFTER_DAYS;
}

// The `devices.mark-silent` job: every active device whose last reading is older than the clinic's threshold
// becomes `silent`, with a DeviceEvent on its timeline. Each change is a conditional update (still active, still
// quiet) in the same transaction as its event, so concurrent runs mark a device and write its event once.
// A reading arriving later makes it active again (device-effects.ts).
export async function markSilentDevices(
  options: { now?: Date; days?: number; deviceIds?: string[]; db?: Database } = {},
): Promise<{ marked: string[]; days: number }> {
  const client = options.db ?? db;
  const now = options.now ?? new Date();
  const days = options.days ?? (await silentAfterDays(client));
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const quiet = { lifecycle: "active" as const, lastReadingAt: { lt: cutoff } };
  const candidates = await client.device.findMany({
    where: { ...quiet, ...(options.deviceIds ? { id: { in: options.deviceIds } } : {}) },
    orderBy: { id: "asc" },
    select: { id: true, lastReadingAt: true },
  });
  const marked: string[] = [];
  for (const device of candidates) {
    const changed = await client.$transaction(async (tx) => {
      const { count } = await tx.device.updateMany({ where: { id: device.id, ...quiet }, data: { lifecycle: "silent" } });
      if (count === 0) return false;
      await tx.deviceEvent.create({
        data: {
          deviceId: device.id,
          type: "went_silent",
          fromState: "active",
          toState: "silent",
          details: { silentAfterDays: days, lastReadingAt: device.lastReadingAt?.toISOString() ?? null },
          occurredAt: now,
        },
      });
      return true;
    });
    if (changed) marked.push(device.id);
  }
  return { marked, days };
}
