import { SeverityBadge } from "@/components/alerts/severity-badge";
import { DeleteRuleButton } from "@/components/alerts/delete-rule-button";
import { RuleFormDialog } from "@/components/alerts/rule-form-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { describeRule, RULE_KIND_LABELS } from "@/lib/alerts/describe";
import type { EffectiveRule, RuleLike } from "@/lib/alerts/rules";

type Row = (EffectiveRule<RuleLike> | (RuleLike & { source: "patient" | "program"; overrides: string[] })) & { isActive: boolean };

// Alert rules with their source (program default or this patient's own) and, for staff who manage alerts, edit,
// delete and "override for this patient" controls.
export function AlertRulesTable({ rules, patientId, canManage, caption }: { rules: Row[]; patientId: string | null; canManage: boolean; caption: string }) {
  if (rules.length === 0) return <p className="px-5 py-6 text-sm text-muted-foreground">No rules yet.</p>;
  return (
    <Table>
      <TableCaption>{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>Rule</TableHead>
          <TableHead>Kind</TableHead>
          <TableHead>Severity</TableHead>
          <TableHead>Source</TableHead>
          {canManage ? <TableHead>Manage</TableHead> : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rules.map((rule) => {
          const description = describeRule(rule);
          const isOwn = rule.source === "patient" || patientId === null;
          return (
            <TableRow key={rule.id} className={rule.isActive ? undefined : "text-muted-foreground"}>
              <TableCell>
                <div className="font-medium">{description}</div>
                <div className="text-xs text-muted-foreground">“{rule.message}”</div>
              </TableCell>
              <TableCell className="text-xs">{RULE_KIND_LABELS[rule.kind]}</TableCell>
              <TableCell>
                <SeverityBadge severity={rule.severity} />
              </TableCell>
              <TableCell className="text-xs">
                {rule.source === "program" ? "Program default" : rule.overrides.length > 0 ? "This patient (replaces the default)" : patientId ? "This patient" : "Program default"}
                {rule.isActive ? null : <Badge className="ml-1">Off</Badge>}
              </TableCell>
              {canManage ? (
                <TableCell>
                  <div className="flex flex-wrap gap-1">
                    {isOwn ? (
                      <>
                        <RuleFormDialog
                          patientId={patientId}
                          rule={rule}
                          title="Edit rule"
                          trigger={
                            <Button size="sm" variant="outline">
                              Edit<span className="sr-only"> rule: {description}</span>
                            </Button>
                          }
                        />
                        <DeleteRuleButton ruleId={rule.id} description={description} />
                      </>
                    ) : (
                      <RuleFormDialog
                        patientId={patientId}
                        template={rule}
                        title="Override for this patient"
                        trigger={
                          <Button size="sm" variant="outline">
                            Override<span className="sr-only"> rule for this patient: {description}</span>
                          </Button>
                        }
                      />
                    )}
                  </div>
                </TableCell>
              ) : null}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
