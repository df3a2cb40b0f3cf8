import type { Metadata } from "next";
import type { ReactNode } from "react";

import { PageHeader } from "@/components/layout/page-header";
import { AdvanceShipmentForm } from "@/components/simulation/advance-shipment-form";
import { DropWebhooksForm } from "@/components/simulation/drop-webhooks-form";
import { EmitReadingForm } from "@/components/simulation/emit-reading-form";
import { FailureSwitchForm } from "@/components/simulation/failure-switch-form";
import { RefreshButton } from "@/components/simulation/refresh-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requirePageAccess } from "@/lib/auth";
import { formatDateTime } from "@/lib/format";
import { simulationState, type VendorSimulationState } from "@/lib/simulation/controls";

export const metadata: Metadata = { title: "Simulation" };

const REQUESTS_SHOWN = 15;

export default async function SimulationPage() {
  await requirePageAccess("simulation.run");
  const vendors = await simulationState(REQUESTS_SHOWN);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Simulation"
        trail={[{ href: "/admin", label: "Admin" }]}
        description="Drive the built-in vendor simulators: move shipments along, make devices measure, and make a vendor fail its next calls to rehearse an outage. Controls for a vendor connected to its live service are off."
        actions={<RefreshButton />}
      />
      {vendors.map((v) => (
        <VendorCard key={v.vendor} state={v} />
      ))}
    </div>
  );
}

function VendorCard({ state }: { state: VendorSimulationState }) {
  const isLive = state.mode === "live";
  return (
    <Card aria-labelledby={`${state.vendor}-title`}>
      <CardHeader className="flex-row items-center justify-between">
        <div>
          <CardTitle id={`${state.vendor}-title`}>{state.label}</CardTitle>
          <CardDescription>{DESCRIPTIONS[state.vendor]}</CardDescription>
        </div>
        <Badge tone={isLive ? "success" : "warning"}>{isLive ? "Live" : "Simulator"}</Badge>
      </CardHeader>
      {isLive ? (
        <CardContent>
          <p role="note" className="bg-secondary rounded-md border px-3 py-2 text-sm">
            {state.label} is connected to the live service (its credentials are set), so simulation is off: nothing on this page can reach real devices or
            patients. Remove the credentials to use the simulator again.
          </p>
        </CardContent>
      ) : (
        <CardContent className="flex flex-col gap-6">
          <Control title="Readings">
            <EmitReadingForm vendor={state.vendor} targets={state.targets} />
          </Control>
          {state.vendor === "tenovi" ? (
            <>
              <Control title="Shipping">
                <AdvanceShipmentForm targets={state.targets} />
              </Control>
              <Control title="Webhooks">
                <DropWebhooksForm pending={state.pendingWebhookDrops} />
              </Control>
            </>
          ) : null}
          <Control title="Failure switch">
            <FailureSwitchForm vendor={state.vendor} failure={state.failure} />
          </Control>
          <RequestLog state={state} />
        </CardContent>
      )}
    </Card>
  );
}

const DESCRIPTIONS: Record<VendorSimulationState["vendor"], string> = {
  tenovi: "HWI devices and gateways; measurement and fulfillment webhooks to Pulseboard.",
  validic: "Smart Meter Direct Connection devices; records delivered by the Push Service.",
  smartz: "Smart-diaper pods; Pulseboard polls the Connect API for events.",
};

function Control({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-sm font-semibold">{title}</h3>
      {children}
    </section>
  );
}

function RequestLog({ state }: { state: VendorSimulationState }) {
  return (
    <section className="flex flex-col gap-2" aria-labelledby={`${state.vendor}-requests`}>
      <h3 id={`${state.vendor}-requests`} className="text-sm font-semibold">
        Recent requests to the {state.label} simulator
      </h3>
      {state.requests.length === 0 ? (
        <EmptyState title="No requests yet" description="Calls Pulseboard makes to this simulator appear here, newest first, with credentials redacted." />
      ) : (
        <div className="rounded-md border">
          <Table>
            <TableCaption>
              Last {state.requests.length} requests the {state.label} simulator received, newest first
            </TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Received</TableHead>
                <TableHead>Request</TableHead>
                <TableHead>Answer</TableHead>
                <TableHead>Body</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {state.requests.map((r) => (
                <TableRow key={r.id}>
                  <TableCell className="whitespace-nowrap">{formatDateTime(r.receivedAt)}</TableCell>
                  <TableCell className="font-mono text-xs break-all">
                    {r.method} {r.path}
                  </TableCell>
                  <TableCell>
                    <Badge tone={r.status >= 500 ? "danger" : r.status >= 400 ? "warning" : "success"}>{r.status}</Badge>
                  </TableCell>
                  <TableCell className="max-w-md">
                    {r.body ? (
                      <details>
                        <summary className="text-primary cursor-pointer text-xs">Show body</summary>
                        <pre className="bg-secondary mt-1 max-h-64 overflow-auto rounded p-2 text-xs">{r.body}</pre>
                      </details>
                    ) : (
                      <span className="text-muted-foreground text-xs">—</span>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </section>
  );
}
