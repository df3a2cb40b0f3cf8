import { z } from "zod";

import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { listParamsSchema, type Page } from "@/lib/queries/list-params";

export const patientListSchema = listParamsSchema(["name", "mrn", "enrolledAt", "status"] as const, "name").extend({
  status: z.enum(["enrolled", "offboarded"]).optional().catch(undefined),
  vendor: z.enum(["tenovi", "validic", "smartz"]).optional().catch(undefined),
});

export type PatientListParams = z.infer<typeof patientListSchema>;

export type PatientRow = {
  id: string;
  mrn: string;
  name: string;
  status: "enrolled" | "offboarded";
  enrolledAt: Date;
  vendors: string[];
  deviceCount: number;
  lastReadingAt: Date | null;
  openAlerts: number;
};

function whereFor(params: PatientListParams): Prisma.PatientWhereInput {
  const and: Prisma.PatientWhereInput[] = [];
  if (params.status) and.push({ status: params.status });
  if (params.vendor) and.push({ devices: { some: { vendor: params.vendor } } });
  if (params.q) {
    const q = params.q;
    const digits = q.replace(/\D/g, "");
    and.push({
      OR: [
        { lastName: { contains: q, mode: "insensitive" } },
        { firstName: { contains: q, mode: "insensitive" } },
        { mrn: { contains: q, mode: "insensitive" } },
        ...(digits.length >= 4 ? [{ phone: { contains: digits } }, { devices: { some: { imei: { contains: digits } } } }] : []),
      ],
    });
  }
  return { AND: and };
}

function orderFor(params: PatientListParams): Prisma.PatientOrderByWithRelationInput[] {
  const dir = params.dir;
  if (params.sort === "mrn") return [{ mrn: dir }];
  if (params.sort === "enrolledAt") return [{ enrolledAt: dir }, { id: "asc" }];
  if (params.sort === "status") return [{ status: dir }, { lastName: "asc" }];
  return [{ lastName: dir }, { firstName: dir }, { id: "asc" }];
}

// One page of patients for the list, searched, filtered and sorted in the database.
export async function listPatients(params: PatientListParams): Promise<Page<PatientRow>> {
  const where = whereFor(params);
  const [total, patients] = await Promise.all([
    db.patient.count({ where }),
    db.patient.findMany({
      where,
      orderBy: orderFor(params),
      skip: (params.page - 1) * params.size,
      take: params.size,
      select: {
        id: true,
        mrn: true,
        firstName: true,
        lastName: true,
        status: true,
        enrolledAt: true,
        devices: { select: { vendor: true, lastReadingAt: true } },
        _count: { select: { alerts: { where: { status: { in: ["open", "acknowledged"] } } } } },
      },
    }),
  ]);
  const rows = patients.map((p) => ({
    id: p.id,
    mrn: p.mrn,
    name: `${p.lastName}, ${p.firstName}`,
    status: p.status,
    enrolledAt: p.enrolledAt,
    vendors: [...new Set(p.devices.map((d) => d.vendor))].sort(),
    deviceCount: p.devices.length,
    lastReadingAt: p.devices.reduce<Date | null>((max, d) => (d.lastReadingAt && (!max || d.lastReadingAt > max) ? d.lastReadingAt : max), null),
    openAlerts: p._count.alerts,
  }));
  return { rows, total, page: params.page, size: params.size };
}
