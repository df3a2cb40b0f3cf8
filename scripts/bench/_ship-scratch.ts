import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.BENCH_URL ?? "" }) });
(globalThis as { prisma?: unknown }).prisma = client;
const { listShipments, shipmentListSchema, countShipmentExceptions } = await import("@/lib/queries/shipments");
const { DEFAULT_SHIPMENT_EXCEPTION_SETTINGS } = await import("@/lib/shipments/exceptions");
for (const raw of [{}, { view: "exceptions" }, { view: "exceptions", sort: "stateSince" }]) {
  const params = shipmentListSchema.parse(raw);
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const page = await listShipments(params, DEFAULT_SHIPMENT_EXCEPTION_SETTINGS);
    const t1 = performance.now();
    const counts = await countShipmentExceptions(DEFAULT_SHIPMENT_EXCEPTION_SETTINGS);
    console.log(JSON.stringify(raw), "list", Math.round(t1 - t0), "ms counts", Math.round(performance.now() - t1), "ms total", page.total, page.rows[0]?.stateSince?.toISOString(), page.rows[0]?.reason, JSON.stringify(counts));
  }
}
await client.$disconnect();
