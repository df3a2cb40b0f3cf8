import type { Metadata } from "next";
import type { ReactNode } from "react";

import { DeliveriesChart } from "@/components/admin/ingest/deliveries-chart";
import { ReplayEventButton, ReplayFailedButton } from "@/components/admin/ingest/replay-buttons";
import { RunJobButton } from "@/components/admin/ingest/run-job-button";
import { LifecycleBadge } from "@/components/devices/lifecycle-badge";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableActionsHead, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { deviceTypeName } from "@/lib/devices/catalog";
import { formatDateTime, formatRelative, VENDOR_LABELS } from "@/lib/format";
import type { Vendor } from "@/lib/generated/prisma/client";
import type { SyncResult } from "@/lib/ingest/sync-results";
import { can } from "@/lib/permissions";
import { ingestHealth, SOURCE_INFO } from "@/lib/queries/ingest-health";

export const metadata: Metadata = { title: "Ingest health" };

const SYNC_JOBS: { vendor: Vendor; title: string; schedule: string; job: "tenovi.reconcile" | "validic.reconcile" | "smartz.poll"; unit: string }[] = [
  { vendor: "tenovi", title: "Tenovi reconcile", schedule: "hourly", job: "tenovi.reconcile", unit: "devices" },
  { vendor: "validic", title: "Validic reconcile", schedule: "every 6 hours", job: "validic.reconcile", unit: "patients" },
  { vendor: "smartz", title: "Smartz poll", schedule: "every minute", job: "smartz.poll", unit: "patients" },
];

function sourceLabel(source: string): string {
  return source in SOURCE_INFO ? SOURCE_INFO[source as keyof typeof SOURCE_INFO].label : source;
}

export default async function IngestHealthPage() {
  const session = await requirePageAccess("integration.read");
  const canReplay = can(session.role, "ingest.replay");
  const health = await ingestHealth();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Ingest health"
        trail={[{ href: "/admin", label: "Admin" }]}
        description="What each vendor delivered, what was refused or failed, and what the background jobs recovered."
        actions={
          <Button asChild variant="outline">
            <Link href="/admin/ingest/unmatched">Unmatched queue ({health.unmatched})</Link>
          </Button>
        }
      />

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Last delivery per vendor</CardTitle>
            <CardDescription>Payloads stored per source (pushed, polled or backfilled) and the last reading stored per vendor.</CardDescription>
          </CardHeader>
          <Table>
            <TableCaption>Last payload per source</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Source</TableHead>
                <TableHead>Last payload</TableHead>
                <TableHead className="text-right">Last 24 h</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {health.deliveries.map((d) => (
                <TableRow key={d.source}>
                  <TableCell className="font-medium">{d.label}</TableCell>
                  <TableCell title={formatDateTime(d.lastAt)}>{formatRelative(d.lastAt)}</TableCell>
                  <TableCell className="text-right tabular-nums">{d.last24h}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {health.readings.map((r) => (
                <div key={r.vendor} className="contents">
                  <dt className="text-muted-foreground">Last {VENDOR_LABELS[r.vendor]} reading stored</dt>
                  <dd title={formatDateTime(r.lastAt)}>{formatRelative(r.lastAt)}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Deliveries per hour</CardTitle>
            <CardDescription>Stored payloads over the last 24 hours, by vendor.</CardDescription>
          </CardHeader>
          <CardContent>
            <DeliveriesChart hours={health.hours} />
            <details className="mt-3 text-sm">
              <summary className="text-muted-foreground cursor-pointer">Show as a table</summary>
              <Table>
                <TableCaption>Stored payloads per hour, last 24 hours</TableCaption>
                <TableHeader>
                  <TableRow>
                    <TableHead>Hour starting</TableHead>
                    <TableHead className="text-right">Tenovi</TableHead>
                    <TableHead className="text-right">Validic</TableHead>
                    <TableHead className="text-right">Smartz</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {health.hours.map((h) => (
                    <TableRow key={h.hour}>
                      <TableCell>{formatDateTime(new Date(h.hour))}</TableCell>
                      <TableCell className="text-right tabular-nums">{h.tenovi}</TableCell>
                      <TableCell className="text-right tabular-nums">{h.validic}</TableCell>
                      <TableCell className="text-right tabular-nums">{h.smartz}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </details>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Reconciliation and polling</CardTitle>
          <CardDescription>
            Tenovi never resends a webhook and Smartz pushes nothing, so the worker reads the vendors back. Last result of each job.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          {SYNC_JOBS.map((job) => (
            <SyncResultPanel
              key={job.vendor}
              title={job.title}
              schedule={job.schedule}
              unit={job.unit}
              result={health.sync[job.vendor]}
              action={canReplay ? <RunJobButton job={job.job} label={`Run ${job.title.toLowerCase()} now`} /> : null}
            />
          ))}
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Unmatched readings</CardTitle>
            <CardDescription>Readings no patient could be found for. An admin assigns them from the queue.</CardDescription>
          </CardHeader>
          <CardContent className="flex items-center justify-between gap-4">
            <p className="text-3xl font-semibold tabular-nums" aria-label="Unmatched readings">
              {health.unmatched}
            </p>
            <Button asChild variant="outline" size="sm">
              <Link href="/admin/ingest/unmatched">Open the unmatched queue</Link>
            </Button>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Duplicates suppressed</CardTitle>
            <CardDescription>Last 24 hours. Vendors resend; upserts on their ids keep one copy.</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">Deliveries received again</dt>
              <dd className="text-right tabular-nums">{health.duplicates.deliveries}</dd>
              <dt className="text-muted-foreground">Records already stored</dt>
              <dd className="text-right tabular-nums">{health.duplicates.records}</dd>
            </dl>
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader className="flex-row items-center justify-between">
          <div>
            <CardTitle>Failed events</CardTitle>
            <CardDescription>Stored, but processing failed. The sweep retries each a few times with backoff; replay one after a fix.</CardDescription>
          </div>
          {canReplay ? <ReplayFailedButton count={health.failed.total} /> : null}
        </CardHeader>
        {health.failed.rows.length === 0 ? (
          <EmptyState title="No failed events" description="Every stored payload was processed or refused at the door." />
        ) : (
          <Table>
            <TableCaption>Failed events, newest first ({health.failed.total} in all)</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Source</TableHead>
                <TableHead>Received</TableHead>
                <TableHead className="text-right">Attempts</TableHead>
                <TableHead>Error</TableHead>
                <TableActionsHead />
              </TableRow>
            </TableHeader>
            <TableBody>
              {health.failed.rows.map((e) => (
                <TableRow key={String(e.id)}>
                  <TableCell>
                    <Link href={`/admin/ingest/events/${e.id}`} className="font-mono text-xs underline-offset-4 hover:underline">
                      #{String(e.id)}
                    </Link>
                  </TableCell>
                  <TableCell>{sourceLabel(e.source)}</TableCell>
                  <TableCell>{formatDateTime(e.receivedAt)}</TableCell>
                  <TableCell className="text-right tabular-nums">{e.attempts}</TableCell>
                  <TableCell className="max-w-md text-xs break-words">{e.error ?? "—"}</TableCell>
                  <TableCell>{canReplay ? <ReplayEventButton eventId={String(e.id)} /> : null}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Quarantined payloads</CardTitle>
          <CardDescription>Refused at the door (not a valid webhook or batch) and kept as received, for inspection.</CardDescription>
        </CardHeader>
        {health.quarantined.rows.length === 0 ? (
          <EmptyState title="Nothing quarantined" description="Every payload so far had the shape its vendor documents." />
        ) : (
          <Table>
            <TableCaption>Quarantined payloads, newest first ({health.quarantined.total} in all)</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Source</TableHead>
                <TableHead>Received</TableHead>
                <TableHead>Why it was refused</TableHead>
                <TableHead>
                  <span className="sr-only">Payload</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {health.quarantined.rows.map((e) => (
                <TableRow key={String(e.id)}>
                  <TableCell className="font-mono text-xs">#{String(e.id)}</TableCell>
                  <TableCell>{sourceLabel(e.source)}</TableCell>
                  <TableCell>{formatDateTime(e.receivedAt)}</TableCell>
                  <TableCell className="max-w-md text-xs break-words">{e.error ?? "—"}</TableCell>
                  <TableCell>
                    <Link href={`/admin/ingest/events/${e.id}`} className="text-primary text-sm underline-offset-4 hover:underline">
                      View payload
                    </Link>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Last delivery per device</CardTitle>
          <CardDescription>Devices in use, those quiet longest first. A device without a reading for the clinic&apos;s threshold turns silent.</CardDescription>
        </CardHeader>
        {health.devices.length === 0 ? (
          <EmptyState title="No devices in use" description="Devices appear here once they are delivered." />
        ) : (
          <Table>
            <TableCaption>Devices in use by last reading</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Vendor</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Device id / IMEI</TableHead>
                <TableHead>Lifecycle</TableHead>
                <TableHead>Last reading</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {health.devices.map((d) => (
                <TableRow key={d.id}>
                  <TableCell>{VENDOR_LABELS[d.vendor]}</TableCell>
                  <TableCell>{deviceTypeName(d)}</TableCell>
                  <TableCell className="font-mono text-xs">{d.imei ?? d.vendorDeviceId ?? "—"}</TableCell>
                  <TableCell>
                    <LifecycleBadge lifecycle={d.lifecycle} />
                  </TableCell>
                  <TableCell title={formatDateTime(d.lastReadingAt)}>{formatRelative(d.lastReadingAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Card>
    </div>
  );
}

function SyncResultPanel({
  title,
  schedule,
  unit,
  result,
  action,
}: {
  title: string;
  schedule: string;
  unit: string;
  result: SyncResult | null;
  action: ReactNode;
}) {
  return (
    <section className="flex flex-col gap-2 rounded-md border p-4" aria-label={title}>
      <div className="flex items-center justify-between gap-2">
        <h3 className="font-semibold">{title}</h3>
        {result ? (
          <Badge tone={result.errorCount > 0 ? "warning" : "success"}>{result.errorCount > 0 ? `${result.errorCount} error(s)` : "OK"}</Badge>
        ) : (
          <Badge>Not run yet</Badge>
        )}
      </div>
      <p className="text-muted-foreground text-xs">Runs {schedule}.</p>
      {result ? (
        <dl className="grid grid-cols-[1fr_auto] gap-x-3 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Last run</dt>
          <dd title={formatDateTime(new Date(result.finishedAt))}>
            {formatRelative(new Date(result.finishedAt))} ({result.trigger})
          </dd>
          <dt className="text-muted-foreground">{unit === "devices" ? "Devices checked" : "Patients checked"}</dt>
          <dd className="text-right tabular-nums">{result.checked}</dd>
          <dt className="text-muted-foreground">Readings recovered</dt>
          <dd className="text-right tabular-nums">{result.recovered}</dd>
          {result.aborted ? (
            <>
              <dt className="text-muted-foreground">Stopped early</dt>
              <dd>the worker shut down</dd>
            </>
          ) : null}
        </dl>
      ) : null}
      {result && result.errors.length > 0 ? (
        <details className="text-xs">
          <summary className="text-muted-foreground cursor-pointer">Errors</summary>
          <ul className="mt-1 flex flex-col gap-1">
            {result.errors.map((error, i) => (
              <li key={`${error.target}-${i}`} className="break-words">
                <span className="font-mono">{error.target}</span>: {error.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {action ? <div className="mt-auto pt-2">{action}</div> : null}
    </section>
  );
}
