import type { Metadata } from "next";

import { AlertRulesTable } from "@/components/alerts/alert-rules-table";
import { RuleFormDialog } from "@/components/alerts/rule-form-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Link } from "@/components/ui/link";
import type { RuleLike } from "@/lib/alerts/rules";
import { RULE_COLUMNS } from "@/lib/alerts/select";
import { requirePageAccess } from "@/lib/auth";
import { readRows } from "@/lib/database/read-rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { can } from "@/lib/permissions";

export const metadata: Metadata = { title: "Alert rules" };

export default async function ProgramRulesPage() {
  const session = await requirePageAccess("alert.read");
  const canManage = can(session.role, "alert.manage");
  // Kind and comparator sort in their enums' order.
  const rules = await readRows<RuleLike>(Prisma.sql`
    SELECT ${RULE_COLUMNS} FROM "AlertRule" r WHERE r."patientId" IS NULL ORDER BY r.metric, r.kind, r.comparator, r.id`);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/alerts" className="text-sm text-primary hover:underline">
          ← Alerts
        </Link>
        <h1 className="text-2xl font-semibold">Program alert rules</h1>
        <p className="text-sm text-muted-foreground">Defaults for every enrolled patient. A patient&apos;s own rule for the same metric and comparator replaces the default for them.</p>
      </div>
      <Card>
        <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
          <div>
            <CardTitle>Program defaults</CardTitle>
            <CardDescription>Adherence rules watch patients who have a device for the metric at home.</CardDescription>
          </div>
          {canManage ? <RuleFormDialog patientId={null} title="Add program rule" trigger={<Button>Add program rule</Button>} /> : null}
        </CardHeader>
        <AlertRulesTable rules={rules.map((r) => ({ ...r, source: "program" as const, overrides: [] }))} patientId={null} canManage={canManage} caption="Program default alert rules" />
      </Card>
    </div>
  );
}
