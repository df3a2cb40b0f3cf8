import { Badge, type BadgeTone } from "@/components/ui/badge";

const SEVERITY: Record<string, { label: string; tone: BadgeTone }> = {
  critical: { label: "Critical", tone: "danger" },
  high: { label: "High", tone: "danger" },
  medium: { label: "Medium", tone: "warning" },
  low: { label: "Low", tone: "neutral" },
};

// An alert's severity, in words and colour.
export function SeverityBadge({ severity }: { severity: string }) {
  const s = SEVERITY[severity] ?? { label: severity, tone: "neutral" as const };
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
