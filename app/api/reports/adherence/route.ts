import { monthlyAdherence, monthlyAdherenceCsv, currentMonth } from "@/lib/adherence/monthly-report";
import { calendarMonthSchema } from "@/lib/time/month";
import { recordAudit } from "@/lib/audit";
import { getStaffSession } from "@/lib/auth";
import { isAppError } from "@/lib/errors";
import { createGate, type Gate } from "@/lib/gate";
import { isDatabaseUnavailable } from "@/lib/database/database-errors";
import { logger } from "@/lib/logger";
import { sessionCan } from "@/lib/permissions";

export const dynamic = "force-dynamic";

const NO_STORE = { "Cache-Control": "no-store" };
const RETRY_AFTER_SECONDS = 15;

// The report reads every patient's month (seconds at clinic scale): two are built at once and the rest wait their
// turn, so a month-end rush queues instead of taking every database connection from the pages.
const globalForReports = globalThis as unknown as { adherenceReportGate?: Gate };
function reportGate(): Gate {
  globalForReports.adherenceReportGate ??= createGate({
    concurrency: 2,
    maxQueued: 64,
    maxWaitMs: 60_000,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    busyMessage: () => "Many reports are being built right now; try again in a moment.",
  });
  return globalForReports.adherenceReportGate;
}

// GET /api/reports/adherence?month=YYYY-MM: the monthly adherence report for every patient as CSV (days with a
// device reading in the calendar month, in each patient's time zone). Every export is audited.
export async function GET(request: Request) {
  const session = await getStaffSession();
  if (!session) return Response.json({ error: "Your session has ended. Sign in again." }, { status: 401, headers: NO_STORE });
  const actor = { id: session.userId, role: session.role };
  if (!sessionCan(session, "patient.read")) {
    await recordAudit({ actor, action: "report.adherence.export", outcome: "denied", details: { reason: "forbidden" } });
    return Response.json({ error: "Your role does not include patient reports." }, { status: 403, headers: NO_STORE });
  }
  const month = calendarMonthSchema.safeParse(new URL(request.url).searchParams.get("month") ?? currentMonth());
  if (!month.success) return Response.json({ error: "Use a month as YYYY-MM." }, { status: 422, headers: NO_STORE });
  try {
    const rows = await reportGate().run(() => monthlyAdherence(month.data));
    await recordAudit({ actor, action: "report.adherence.export", outcome: "success", targetType: "report", targetId: `adherence:${month.data}`, details: { month: month.data, patients: rows.length } });
    return new Response(monthlyAdherenceCsv(month.data, rows), {
      headers: { ...NO_STORE, "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="adherence-${month.data}.csv"` },
    });
  } catch (error) {
    const isBusy = (isAppError(error) && error.code === "DATABASE_UNAVAILABLE") || isDatabaseUnavailable(error);
    logger.error("adherence report failed", { error: error instanceof Error ? error.name : "unknown", isBusy });
    if (isBusy) {
      const message = isAppError(error) ? error.message : "The database is unavailable right now; try again in a moment.";
      return Response.json({ error: message }, { status: 503, headers: { ...NO_STORE, "Retry-After": String(RETRY_AFTER_SECONDS) } });
    }
    return Response.json({ error: "The report could not be built." }, { status: 500, headers: NO_STORE });
  }
}
