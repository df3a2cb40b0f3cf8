import { Prisma } from "@/lib/generated/prisma/client";

// The AlertRule columns the engine and the screens read (everything but timestamps), in SQL for reads on the pool
// (lib/database/read-rows.ts): through Prisma each of the engine's reads was compiled again on every call.
export const RULE_COLUMNS = Prisma.sql`id, "patientId", kind::text AS kind, metric, unit, origin, comparator::text AS comparator, "thresholdValue",
           "window", severity::text AS severity, message, "isActive"`;
