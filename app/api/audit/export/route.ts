import { randomUUID } from "node:crypto";
import { headers } from "next/headers";

import { recordAudit, sourceIpFrom } from "@/lib/audit";
import { auditCsvStream } from "@/lib/audit/export";
import { getStaffSession } from "@/lib/auth";
import { sessionCan } from "@/lib/permissions";
import { auditFilterSchema } from "@/lib/queries/audit";

export const dynamic = "force-dynamic";

// GET /api/audit/export?actor=&action=&outcome=&patientId=&from=&to=: the matching audit events as CSV, streamed.
// Admins only (audit.read); the export itself is audited with its filters, and so is a refusal.
export async function GET(request: Request) {
  const requestHeaders = await headers();
  const context = { requestId: requestHeaders.get("x-request-id") ?? randomUUID(), sourceIp: sourceIpFrom(requestHeaders) };
  const session = await getStaffSession();
  if (!session) return Response.json({ error: "Sign in to export the audit log." }, { status: 401, headers: { "Cache-Control": "no-store" } });
  const actor = { id: session.userId, role: session.role };
  if (!sessionCan(session, "audit.read")) {
    await recordAudit({ actor, action: "audit.export", outcome: "denied", ...context, details: { reason: "forbidden", permission: "audit.read" } });
    return Response.json({ error: "Your role does not include the audit log." }, { status: 403, headers: { "Cache-Control": "no-store" } });
  }
  const url = new URL(request.url);
  const filters = auditFilterSchema.parse(Object.fromEntries(url.searchParams));
  // Filters are ids, dates and action names, never PHI.
  const details = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as Record<string, string>;
  await recordAudit({ actor, action: "audit.export", outcome: "success", patientId: filters.patientId, ...context, details });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(auditCsvStream(filters), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="pulseboard-audit-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
