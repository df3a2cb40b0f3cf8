import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { LifecycleBadge } from "@/components/devices/lifecycle-badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { recordAudit } from "@/lib/audit";
import { requirePageAccess } from "@/lib/auth";
import { deviceTypeName } from "@/lib/devices/catalog";
import { formatDateTime, formatRelative, VENDOR_LABELS } from "@/lib/format";
import { listName } from "@/lib/patients/names";
import { getDeviceDetail, lifecycleLabel } from "@/lib/queries/device-detail";

export const metadata: Metadata = { title: "Device" };

export default async function DevicePage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requirePageAccess("device.read");
  const { id } = await params;
  const detail = await getDeviceDetail(id);
  if (!detail) notFound();
  const { device, readingCount, timeline, related } = detail;
  await recordAudit({ actor: { id: session.userId, role: session.role }, action: "device.view", outcome: "success", targetType: "device", targetId: device.id, patientId: device.patientId ?? undefined });
  const identity = device.imei ?? device.gateway?.gatewayUuid ?? device.vendorDeviceId ?? "—";
  const typeName = deviceTypeName(device);
  const relatedLabel = device.gateway ? `gateway ${device.gateway.gatewayUuid}` : device.imei ? `IMEI ${device.imei}` : null;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-2">
        <p className="text-sm text-muted-foreground">
          <Link href="/devices" className="hover:underline">
            Devices
          </Link>{" "}
          / {VENDOR_LABELS[device.vendor]}
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold">{typeName}</h1>
          <span className="font-mono text-sm text-muted-foreground">{identity}</span>
          <LifecycleBadge lifecycle={device.lifecycle} vendorStatus={device.vendorStatus} />
        </div>
        <p className="text-sm">
          {device.patient ? (
            <>
              With{" "}
              <Link href={`/patients/${device.patient.id}`} className="font-medium hover:underline">
                {listName(device.patient)}
              </Link>{" "}
              <span className="text-muted-foreground">({device.patient.mrn})</span>
            </>
          ) : (
            <span className="text-muted-foreground">Not with any patient now.</span>
          )}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>Identity</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">Vendor</dt>
              <dd>{VENDOR_LABELS[device.vendor]}</dd>
              <dt className="text-muted-foreground">Type</dt>
              <dd>
                {typeName}
                {typeName === device.vendorType ? null : <span className="text-muted-foreground font-mono text-xs"> ({device.vendorType})</span>}
              </dd>
              <dt className="text-muted-foreground">Category</dt>
              <dd>{device.category.replace(/_/g, " ")}</dd>
              <dt className="text-muted-foreground">Connects by</dt>
              <dd>{device.connectivity === "gateway" ? "Gateway" : device.connectivity === "cellular" ? "Cellular" : "Mesh (Smartz nodes)"}</dd>
              <dt className="text-muted-foreground">IMEI</dt>
              <dd className="font-mono text-xs">{device.imei ?? "—"}</dd>
              <dt className="text-muted-foreground">Gateway</dt>
              <dd className="font-mono text-xs">{device.gateway?.gatewayUuid ?? "—"}</dd>
              <dt className="text-muted-foreground">Vendor&apos;s device ID</dt>
              <dd className="font-mono text-xs break-all">{device.vendorDeviceId ?? "—"}</dd>
              <dt className="text-muted-foreground">Lifecycle</dt>
              <dd>{lifecycleLabel(device.lifecycle)}</dd>
              <dt className="text-muted-foreground">Vendor status</dt>
              <dd>{device.vendorStatus ?? "—"}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Readings</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <dt className="text-muted-foreground">First reading</dt>
              <dd>{formatDateTime(device.firstReadingAt)}</dd>
              <dt className="text-muted-foreground">Last reading</dt>
              <dd>
                {formatDateTime(device.lastReadingAt)} {device.lastReadingAt ? <span className="text-muted-foreground">({formatRelative(device.lastReadingAt)})</span> : null}
              </dd>
              <dt className="text-muted-foreground">Readings kept</dt>
              <dd>{readingCount}</dd>
            </dl>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Assignments</CardTitle>
          </CardHeader>
          {device.assignments.length === 0 ? (
            <EmptyState title="Never assigned" description="This device has not been with a patient yet." />
          ) : (
            <ul className="divide-y text-sm" aria-label="Assignment periods">
              {device.assignments.map((a) => (
                <li key={a.id} className="px-5 py-2">
                  <Link href={`/patients/${a.patient.id}`} className="font-medium hover:underline">
                    {listName(a.patient)}
                  </Link>
                  <p className="text-muted-foreground">
                    {formatDateTime(a.startedAt)} – {a.endedAt ? formatDateTime(a.endedAt) : "now"}
                    {a.endedReason ? ` · ${a.endedReason}` : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {device.shipments.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>Shipments</CardTitle>
          </CardHeader>
          <Table>
            <TableCaption>Shipments of this device</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Status</TableHead>
                <TableHead>Shipped by</TableHead>
                <TableHead>Carrier and tracking</TableHead>
                <TableHead>Shipped</TableHead>
                <TableHead>Delivered</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {device.shipments.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{s.status}</TableCell>
                  <TableCell>
                    {s.fulfiller === "clinic" ? "Clinic" : VENDOR_LABELS[s.vendor]}
                    {s.isGatewayOnly ? " (gateway only)" : ""}
                    {s.existingGatewayUuid ? ` (uses gateway ${s.existingGatewayUuid})` : ""}
                  </TableCell>
                  <TableCell className="max-w-xs break-all">
                    {s.carrier ?? ""}{" "}
                    {s.trackingLink ? (
                      <a href={s.trackingLink} target="_blank" rel="noreferrer noopener" className="text-primary hover:underline">
                        Track parcel
                      </a>
                    ) : s.carrier ? null : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell>{formatDateTime(s.shippedAt)}</TableCell>
                  <TableCell>{formatDateTime(s.deliveredAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle>Timeline</CardTitle>
        </CardHeader>
        <ol className="divide-y" aria-label="Device timeline">
          {timeline.map((entry) => (
            <li key={entry.key} className="grid gap-1 px-5 py-3 text-sm sm:grid-cols-[12rem_1fr]">
              <time dateTime={entry.at.toISOString()} className="text-muted-foreground">
                {formatDateTime(entry.at)}
              </time>
              <div>
                <p className="font-medium">
                  {entry.title}
                  {entry.lifecycle ? (
                    <span className="font-normal text-muted-foreground">
                      {" "}
                      · {lifecycleLabel(entry.lifecycle.from)} → {lifecycleLabel(entry.lifecycle.to)}
                    </span>
                  ) : null}
                </p>
                {entry.vendorStatus ? <p className="text-muted-foreground">Vendor status: {entry.vendorStatus}</p> : null}
                {entry.detail ? <p className="text-muted-foreground">{entry.detail}</p> : null}
                {entry.actor ? <p className="text-xs text-muted-foreground">by {entry.actor}</p> : null}
              </div>
            </li>
          ))}
        </ol>
      </Card>
      {relatedLabel && related.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle>Who had {relatedLabel}</CardTitle>
          </CardHeader>
          <Table>
            <TableCaption>Assignment history of {relatedLabel}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Patient</TableHead>
                <TableHead>Device</TableHead>
                <TableHead>From</TableHead>
                <TableHead>To</TableHead>
                <TableHead>Why it ended</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {related.map((a) => (
                <TableRow key={a.id}>
                  <TableCell>
                    <Link href={`/patients/${a.patient.id}`} className="hover:underline">
                      {listName(a.patient)}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {a.isThisDevice ? (
                      "This device"
                    ) : (
                      <Link href={`/devices/${a.device.id}`} className="hover:underline">
                        {VENDOR_LABELS[a.device.vendor]} {deviceTypeName(a.device)}
                      </Link>
                    )}
                  </TableCell>
                  <TableCell>{formatDateTime(a.startedAt)}</TableCell>
                  <TableCell>{a.endedAt ? formatDateTime(a.endedAt) : "now"}</TableCell>
                  <TableCell>{a.endedReason ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Card>
      ) : null}
    </div>
  );
}
