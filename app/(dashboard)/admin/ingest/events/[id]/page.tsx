import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { ReplayEventButton } from "@/components/admin/ingest/replay-buttons";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { db } from "@/lib/db";
import { ingestEventIdOf } from "@/lib/detail-records";
import { formatDateTime } from "@/lib/format";
import { can } from "@/lib/permissions";
import { SOURCE_INFO } from "@/lib/queries/ingest-health";

export const metadata: Metadata = { title: "Stored payload" };

const STATUS_TONE = { received: "info", processed: "success", rejected: "danger", failed: "warning" } as const;

// A stored payload exactly as it arrived (admins only: it may hold PHI). React escapes it; it is shown as text.
export default async function IngestEventPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageAccess("integration.read");
  const { id } = await params;
  const eventId = ingestEventIdOf(id);
  if (eventId === null) notFound();
  const event = await db.ingestEvent.findUnique({ where: { id: eventId } });
  if (!event) notFound();
  // Viewing a raw payload is reading patient data: it leaves a trail.
  await recordAudit({
    actor: { id: session.userId, role: session.role },
    action: "ingest.payload.view",
    outcome: "success",
    targetType: "ingest_event",
    targetId: id,
  });
  const body = event.payload !== null ? JSON.stringify(event.payload, null, 2) : (event.rawBody ?? "");
  const canReplay = can(session.role, "ingest.replay") && event.status !== "rejected";
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title={`Stored payload #${id}`}
        trail={[
          { href: "/admin", label: "Admin" },
          { href: "/admin/ingest", label: "Ingest health" },
        ]}
      />
      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <div>
            <CardTitle>{event.source in SOURCE_INFO ? SOURCE_INFO[event.source as keyof typeof SOURCE_INFO].label : event.source}</CardTitle>
            <CardDescription>
              Received {formatDateTime(event.receivedAt)}
              {event.deliveryId ? `, delivery ${event.deliveryId}` : ""}, {event.attempts} processing attempt(s)
            </CardDescription>
          </div>
          <div className="flex items-center gap-2">
            <Badge tone={STATUS_TONE[event.status]}>{event.status}</Badge>
            {canReplay ? <ReplayEventButton eventId={id} /> : null}
          </div>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {event.error ? (
            <p className="text-sm">
              <span className="font-medium">Note: </span>
              {event.error}
            </p>
          ) : null}
          <p className="text-muted-foreground text-xs">
            {event.payload !== null ? "Parsed JSON, as stored." : "Kept as received (not storable as JSON); sha256 " + event.bodySha256}
          </p>
          <pre className="bg-muted/40 max-h-[60vh] overflow-auto rounded-md border p-3 text-xs" aria-label="Payload">
            {body}
          </pre>
        </CardContent>
      </Card>
    </div>
  );
}
