// The alerts engine's entry points for ingest, the scheduler and offboarding.
export { evaluateReadingAlerts, type ReadingEvaluation } from "@/lib/alerts/evaluate-readings";
export { evaluateMissingDataRules, type MissingDataEvaluation, type TriggeredRuleEvent } from "@/lib/alerts/missing-data";
export { deactivatePatientRules } from "@/lib/alerts/patient-rules";
