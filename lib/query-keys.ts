// Every TanStack Query key comes from here, so invalidations match what was cached.
export const patientKeys = {
  all: ["patients"] as const,
  detail: (id: string) => ["patients", id] as const,
  readings: (id: string) => ["patients", id, "readings"] as const,
  devices: (id: string) => ["patients", id, "devices"] as const,
};

export const readingKeys = {
  feed: (filters: Record<string, string | boolean | undefined>) => ["readings", "feed", filters] as const,
};

export const alertKeys = {
  all: ["alerts"] as const,
};

export const staffKeys = {
  all: ["staff"] as const,
};

export const deviceKeys = {
  options: (vendor: string, patientId: string) => ["devices", "options", vendor, patientId] as const,
  imei: (imei: string) => ["devices", "imei", imei] as const,
  moveTargets: (query: string, excludePatientId: string) => ["devices", "move-targets", query, excludePatientId] as const,
};
