import { CareBillingBadges } from "@/components/patients/care-billing-badges";
import { CareTimer } from "@/components/patients/care-timer";
import { LogCareTimeDialog } from "@/components/patients/log-care-time-dialog";
import { RemoveCareTimeButton } from "@/components/patients/remove-care-time-button";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Link } from "@/components/ui/link";
import { Table, TableActionsHead, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CareTimeEntryRow, MonthCareTime } from "@/lib/care-time/entries";
import { FIRST_CODE_MINUTES } from "@/lib/care-time/schemas";
import { formatDate } from "@/lib/format";
import { shiftMonth } from "@/lib/time/month";

type Viewer = { userId: string; isAdmin: boolean; canLog: boolean };

// One month of a patient's care time (this month unless an earlier one was picked): the total against 99457's 20
// minutes, what it supports, and the entries (each corrected or removed by whoever logged it, or an admin).
export function CareTimeCard({ careTime, patientId, today, viewer }: { careTime: MonthCareTime; patientId: string; today: string; viewer: Viewer }) {
  const { billing, entries } = careTime;
  const progress = Math.min(100, Math.round((billing.minutes / FIRST_CODE_MINUTES) * 100));
  const label = monthLabel(careTime.month);
  return (
    <Card id="care-time">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-x-6 gap-y-2 sm:flex-nowrap">
        <div className="flex min-w-0 flex-col gap-2">
          <CardTitle>Care time, {label}</CardTitle>
          <CardDescription>
            Minutes of remote-monitoring care in the calendar month, for CPT 99457 (first 20, with a live call) and 99458 (each further 20).
          </CardDescription>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className="font-medium tabular-nums">
              {billing.minutes} of {FIRST_CODE_MINUTES} min
            </span>
            <div
              role="meter"
              aria-label="Care time toward 99457"
              aria-valuemin={0}
              aria-valuemax={FIRST_CODE_MINUTES}
              aria-valuenow={Math.min(billing.minutes, FIRST_CODE_MINUTES)}
              className="bg-muted h-2 w-40 overflow-hidden rounded-full"
            >
              <div className="bg-primary h-full" style={{ width: `${progress}%` }} />
            </div>
            <CareBillingBadges billing={billing} />
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          <MonthLinks patientId={patientId} month={careTime.month} currentMonth={today.slice(0, 7)} />
          {viewer.canLog ? (
            <>
              <CareTimer patientId={patientId} today={today} />
              <LogCareTimeDialog patientId={patientId} today={today} />
            </>
          ) : null}
        </div>
      </CardHeader>
      {entries.length === 0 ? (
        <EmptyState
          title={`No care time logged in ${label}`}
          description="Time spent reviewing readings or talking with the patient counts toward the monthly codes."
        />
      ) : (
        <Table>
          <TableCaption>Care time logged in {label}</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>Date</TableHead>
              <TableHead>Minutes</TableHead>
              <TableHead>Live call</TableHead>
              <TableHead>By</TableHead>
              <TableHead>Note</TableHead>
              <TableActionsHead />
            </TableRow>
          </TableHeader>
          <TableBody>
            {entries.map((entry) => (
              <TableRow key={entry.id}>
                <TableCell className="whitespace-nowrap">{formatDate(entry.serviceDate, "UTC")}</TableCell>
                <TableCell className="tabular-nums">{entry.minutes}</TableCell>
                <TableCell>{entry.interactive ? "Yes" : "No"}</TableCell>
                <TableCell>{entry.staffName}</TableCell>
                <TableCell className="text-muted-foreground max-w-md">{entry.note ?? "—"}</TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  {viewer.canLog && (entry.staffId === viewer.userId || viewer.isAdmin) ? (
                    <EntryActions entry={entry} patientId={patientId} today={today} />
                  ) : null}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}

// Correct or remove an entry (whoever logged it, or an admin).
function EntryActions({ entry, patientId, today }: { entry: CareTimeEntryRow; patientId: string; today: string }) {
  const summary = `${entry.minutes} min on ${formatDate(entry.serviceDate, "UTC")}`;
  const edited = {
    id: entry.id,
    serviceDate: entry.serviceDate.toISOString().slice(0, 10),
    minutes: entry.minutes,
    interactive: entry.interactive,
    note: entry.note,
  };
  return (
    <>
      <LogCareTimeDialog
        patientId={patientId}
        today={today}
        entry={edited}
        trigger={
          <Button variant="ghost" size="sm">
            Correct<span className="sr-only"> {summary}</span>
          </Button>
        }
      />
      <RemoveCareTimeButton entryId={entry.id} summary={summary} />
    </>
  );
}

// The month before, and the month after unless that is still ahead (billing looks back at finished months).
function MonthLinks({ patientId, month, currentMonth }: { patientId: string; month: string; currentMonth: string }) {
  const href = (target: string) => `/patients/${patientId}${target === currentMonth ? "" : `?careMonth=${target}`}#care-time`;
  const previous = shiftMonth(month, -1);
  const next = shiftMonth(month, 1);
  return (
    <nav aria-label="Care time month" className="flex items-center gap-1 text-sm">
      <Button asChild variant="ghost" size="sm">
        <Link href={href(previous)}>← {monthLabel(previous)}</Link>
      </Button>
      {month < currentMonth ? (
        <Button asChild variant="ghost" size="sm">
          <Link href={href(next)}>{monthLabel(next)} →</Link>
        </Button>
      ) : null}
    </nav>
  );
}

function monthLabel(month: string): string {
  return new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}
