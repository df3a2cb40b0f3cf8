import type { Breach } from "@/lib/alerts/checks";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

// Runs `work` in a transaction that holds the patient's alert lock, so two ingest workers (or ingest and the
// scheduler) cannot both decide an alert is missing and both raise it.
export async function withPatientAlertLock<T>(patientId: string, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`pulseboard.alerts:${patientId}`}))`;
    return work(tx);
  });
}

// Stores one alert per (reading, rule) pair that has none yet; returns the ids of the alerts it created.
export async function raiseReadingAlerts(patientId: string, breaches: readonly Breach[]): Promise<string[]> {
  if (breaches.length === 0) return [];
  return withPatientAlertLock(patientId, async (tx) => {
    const existing = await tx.alert.findMany({
      where: { patientId, readingId: { in: [...new Set(breaches.map((b) => b.readingId))] }, ruleId: { in: [...new Set(breaches.map((b) => b.ruleId))] } },
      select: { readingId: true, ruleId: true },
    });
    const seen = new Set(existing.map((a) => `${a.readingId}|${a.ruleId}`));
    const fresh = breaches.filter((b) => {
      const key = `${b.readingId}|${b.ruleId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length === 0) return [];
    const created = await tx.alert.createManyAndReturn({
      data: fresh.map((b) => ({ patientId, ruleId: b.ruleId, readingId: b.readingId, severity: b.severity, message: b.message })),
      select: { id: true },
    });
    return created.map((a) => a.id);
  });
}
