import { Badge } from "@/components/ui/badge";

const STATUS = { open: { label: "Open", tone: "danger" }, acknowledged: { label: "Acknowledged", tone: "info" }, resolved: { label: "Resolved", tone: "success" } } as const;

// An alert's workflow state in words.
export function AlertStatusBadge({ status }: { status: keyof typeof STATUS }) {
  const s = STATUS[status];
  return <Badge tone={s.tone}>{s.label}</Badge>;
}
