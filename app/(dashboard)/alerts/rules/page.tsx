import type { Metadata } from "next";

import { AlertRulesTable } from "@/components/alerts/alert-rules-table";
import { RuleFormDialog } from "@/components/alerts/rule-form-dialog";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
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
      <PageHeader
        title="Program alert rules"
        trail={[{ href: "/alerts", label: "Alerts" }]}
        description="Defaults for every enrolled patient. A patient's own rule for the same metric and comparator replaces the default for them."
      />
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
