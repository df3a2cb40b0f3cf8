import { Badge } from "@/components/ui/badge";
import { FIRST_CODE_MINUTES, type CareTimeBilling } from "@/lib/care-time/schemas";

// What a month's care time supports: 99457 met (and 99458 units), a missing live call, or the minutes still to go.
export function CareBillingBadges({ billing }: { billing: CareTimeBilling }) {
  if (billing.firstCodeMet) {
    return (
      <>
        <Badge tone="success">99457 met</Badge>
        {billing.additionalUnits > 0 ? <Badge tone="success">99458 × {billing.additionalUnits}</Badge> : null}
      </>
    );
  }
  if (billing.minutes >= FIRST_CODE_MINUTES) return <Badge tone="warning">Needs a live call for 99457</Badge>;
  return <span className="text-muted-foreground">{FIRST_CODE_MINUTES - billing.minutes} min to 99457</span>;
}
