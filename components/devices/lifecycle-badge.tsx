import { Badge, type BadgeTone } from "@/components/ui/badge";

const LIFECYCLE: Record<string, { label: string; tone: BadgeTone }> = {
  in_stock: { label: "In stock", tone: "neutral" },
  assigned: { label: "Assigned", tone: "info" },
  shipping: { label: "Shipping", tone: "info" },
  delivered: { label: "Delivered", tone: "info" },
  active: { label: "Active", tone: "success" },
  silent: { label: "Silent", tone: "warning" },
  disconnected: { label: "Disconnected", tone: "neutral" },
  returned: { label: "Returned", tone: "neutral" },
};

// Pulseboard's lifecycle state, with the vendor's own status word beside it (never dropped).
export function LifecycleBadge({ lifecycle, vendorStatus }: { lifecycle: string; vendorStatus?: string | null }) {
  const state = LIFECYCLE[lifecycle] ?? { label: lifecycle, tone: "neutral" as const };
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <Badge tone={state.tone}>{state.label}</Badge>
      {vendorStatus ? <span className="text-xs text-muted-foreground">{vendorStatus}</span> : null}
    </span>
  );
}
