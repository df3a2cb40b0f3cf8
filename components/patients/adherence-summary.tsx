import { Badge } from "@/components/ui/badge";
import { FULL_DAYS, type PeriodAdherence } from "@/lib/adherence/billing-period";

// Days with device readings in the current 30-day period, "12/16 days", with the billing band and a warning when
// 16 days can no longer be reached in this period.
export function AdherenceSummary({ adherence, detailed = false }: { adherence: PeriodAdherence | undefined; detailed?: boolean }) {
  if (!adherence) return <span className="text-muted-foreground">—</span>;
  const period = `${adherence.periodStart} to ${adherence.periodEnd}`;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="tabular-nums" title={`Current period ${period}`}>
        {adherence.daysWithReadings}/{FULL_DAYS} days
        <span className="sr-only"> with device readings, period {period}</span>
      </span>
      {adherence.band === "full" ? <Badge tone="success">16 days met</Badge> : null}
      {adherence.band === "reduced" ? <Badge tone="warning">2–15 days</Badge> : null}
      {!adherence.canReachFull ? <Badge tone="danger">Cannot reach 16</Badge> : null}
      {detailed ? (
        <span className="w-full text-xs text-muted-foreground">
          Period {period}; {adherence.daysStillOpen} day{adherence.daysStillOpen === 1 ? "" : "s"} still open{adherence.hasReadingToday ? ", reading received today" : ""}.
        </span>
      ) : null}
    </span>
  );
}
