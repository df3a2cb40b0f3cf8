import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { RangePicker } from "@/components/readings/range-picker";
import { VitalsChartCard } from "@/components/readings/vitals-chart-card";
import { VitalsReadingsTable } from "@/components/readings/vitals-readings-table";
import { Badge } from "@/components/ui/badge";
import { Link } from "@/components/ui/link";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { fullName } from "@/lib/patients/names";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { findVitalsPatient, loadVitals } from "@/lib/queries/vitals";
import { dayTicks, vitalsParamsSchema } from "@/lib/readings/vitals";

export const metadata: Metadata = { title: "Vitals" };

// Charts that read best side by side on wide screens (blood pressure with the cuff's pulse beside it).
const HALF_WIDTH = new Set(["blood-pressure", "pulse", "blood-glucose", "weight", "spo2", "temperature"]);

export default async function VitalsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("reading.read");
  const { id } = await params;
  const patient = await findVitalsPatient(id);
  if (!patient) notFound();
  const raw = firstValues(await searchParams);
  const view = vitalsParamsSchema.parse(raw);
  const vitals = await loadVitals(patient, view);
  await recordAudit({
    actor: { id: session.userId, role: session.role },
    action: "patient.vitals.view",
    outcome: "success",
    targetType: "patient",
    targetId: patient.id,
    patientId: patient.id,
    details: { range: vitals.range.key, days: vitals.range.days, showDeleted: view.deleted === "show" },
  });
  const basePath = `/patients/${patient.id}/vitals`;
  const domain: [number, number] = [vitals.range.from.getTime(), vitals.range.to.getTime()];
  const ticks = dayTicks(vitals.range, patient.timeZone);
  const withData = vitals.charts.filter((c) => c.data.length > 0);
  const empty = vitals.charts.filter((c) => c.data.length === 0);
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-col gap-1">
        <Link href={`/patients/${patient.id}`} className="text-sm text-primary hover:underline">
          ← {fullName(patient)}
        </Link>
        <div className="flex flex-wrap items-baseline gap-3">
          <h1 className="text-2xl font-semibold">Vitals</h1>
          <span className="font-mono text-sm text-muted-foreground">MRN {patient.mrn}</span>
          {patient.status === "offboarded" ? <Badge>Offboarded</Badge> : null}
        </div>
        <p className="text-sm text-muted-foreground">
          {vitals.range.fromDay} to {vitals.range.toDay} ({vitals.range.days} days) on the patient&apos;s clock ({patient.timeZone}). Glucose in {vitals.glucoseUnit}. Shaded bands
          are this patient&apos;s alert thresholds.
        </p>
      </div>
      <RangePicker basePath={basePath} params={raw} range={vitals.range} />
      {vitals.range.error ? (
        <p role="alert" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
          {vitals.range.error} Showing the last 30 days instead.
        </p>
      ) : null}
      <div className="grid gap-5 2xl:grid-cols-[minmax(0,1fr)_32rem]">
        <div className="grid content-start gap-4 lg:grid-cols-2">
          {withData.map((chart) => (
            <VitalsChartCard key={chart.id} chart={chart} domain={domain} ticks={ticks} timeZone={patient.timeZone} className={HALF_WIDTH.has(chart.id) ? undefined : "lg:col-span-2"} />
          ))}
          {empty.map((chart) => (
            <VitalsChartCard key={chart.id} chart={chart} domain={domain} ticks={ticks} timeZone={patient.timeZone} />
          ))}
        </div>
        <aside aria-label="Readings table" className="min-w-0">
          <VitalsReadingsTable table={vitals.table} timeZone={patient.timeZone} showDeleted={view.deleted === "show"} deletedCount={vitals.deletedCount} basePath={basePath} params={raw} />
        </aside>
      </div>
    </div>
  );
}
