// The AlertRule columns the engine reads (everything but timestamps).
export const RULE_SELECT = {
  id: true,
  patientId: true,
  kind: true,
  metric: true,
  unit: true,
  origin: true,
  comparator: true,
  thresholdValue: true,
  window: true,
  severity: true,
  message: true,
  isActive: true,
} as const;
