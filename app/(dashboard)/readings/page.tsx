import type { Metadata } from "next";

import { PageHeader } from "@/components/layout/page-header";
import { LiveReadingsFeed } from "@/components/readings/live-readings-feed";
import { Card } from "@/components/ui/card";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { feedParamsSchema, readingFeed } from "@/lib/queries/feed";
import { firstValues, type SearchParams } from "@/lib/queries/list-params";
import { METRIC_LABELS } from "@/lib/readings/format";

export const metadata: Metadata = { title: "Readings" };

// How often the feed asks for new readings.
const POLL_MS = 4_000;

export default async function ReadingsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requirePageAccess("reading.read");
  const params = feedParamsSchema.parse(firstValues(await searchParams));
  const rows = await readingFeed(params);
  await recordAudit({ actor: { id: session.userId, role: session.role }, action: "reading.feed.view", outcome: "success", details: { metric: params.metric ?? null, outOfRange: Boolean(params.outOfRange) } });
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="Readings" description="Every reading from every vendor as it arrives, newest first. Out-of-range readings are marked." />
      <Card>
        <LiveReadingsFeed
          initial={{ rows, generatedAt: new Date().toISOString() }}
          filters={{ metric: params.metric, outOfRange: params.outOfRange }}
          metricOptions={Object.entries(METRIC_LABELS).map(([value, label]) => ({ value, label }))}
          pollMs={POLL_MS}
        />
      </Card>
    </div>
  );
}
