// What `npm run bench` measures and at which size, from flags (`--patients=2000`) or environment (`BENCH_PATIENTS`).
// Flags win over the environment; every value has the documented default.

// Dataset size and the knobs of each phase.
export type BenchOptions = {
  patients: number;
  devices: number;
  readings: number;
  // Port of the web server under test and of the (unused, but configured) simulators.
  port: number;
  simulatorPort: number;
  embeddedPort: number;
  // Concurrency levels of the ingest and page phases.
  ingestConcurrency: number[];
  // Which request shapes the ingest phase sends (all by default).
  ingestShapes: IngestShapeKey[];
  pageConcurrency: number[];
  // Bounds of every ingest scenario: it stops at whichever comes first.
  ingestSecondsPerScenario: number;
  ingestMaxReadingsPerScenario: number;
  // Requests per page and concurrency level (split over the users).
  pageRequests: number;
  // Only the page cases whose name starts with one of these (all when empty).
  pageCases: string[];
  soakSeconds: number;
  load: LoadOptions;
  // Phases to run; all by default.
  phases: Set<BenchPhase>;
  outputDir: string;
};

export type BenchPhase = "explain" | "pages" | "views" | "ingest" | "soak" | "load";

// The load phase: open-loop ingest at a sustained rate while signed-in clinicians browse, then a bounded drain.
export type LoadOptions = {
  readingsPerSecond: number;
  seconds: number;
  clinicians: number;
  // Mean pause between a clinician's pages (each pause is 0.5–1.5 × this).
  thinkMs: number;
  // How long to wait after the last send for every acknowledged reading to be in the database.
  drainSeconds: number;
  // Exit non-zero when the run misses "errors 0, lost 0" (otherwise the bench reports and exits 0).
  isStrict: boolean;
};

// The ingest phase's request shapes.
export const INGEST_SHAPE_KEYS = ["validic100", "validic1000", "tenovi-single", "tenovi-array"] as const;
export type IngestShapeKey = (typeof INGEST_SHAPE_KEYS)[number];

function shapeKeys(argv: string[]): IngestShapeKey[] {
  const raw = flagValue(argv, "ingest-shapes") ?? process.env.BENCH_INGEST_SHAPES;
  if (!raw) return [...INGEST_SHAPE_KEYS];
  const picked = raw.split(",").map((part) => part.trim());
  const unknown = picked.filter((part) => !(INGEST_SHAPE_KEYS as readonly string[]).includes(part));
  if (unknown.length > 0) throw new Error(`BENCH_INGEST_SHAPES (--ingest-shapes) knows ${INGEST_SHAPE_KEYS.join(", ")}; got ${unknown.join(", ")}.`);
  return picked as IngestShapeKey[];
}

// In the order they run.
const PHASES: BenchPhase[] = ["explain", "pages", "views", "ingest", "load", "soak"];

function flagValue(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function integer(argv: string[], flag: string, envName: string, fallback: number): number {
  const raw = flagValue(argv, flag) ?? process.env[envName];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw.replace(/_/g, ""));
  if (!Number.isInteger(value) || value < 0) throw new Error(`${envName} (--${flag}) must be a non-negative integer, got "${raw}".`);
  return value;
}

function integerList(argv: string[], flag: string, envName: string, fallback: number[]): number[] {
  const raw = flagValue(argv, flag) ?? process.env[envName];
  if (!raw) return fallback;
  const values = raw.split(",").map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`${envName} (--${flag}) must be a comma-separated list of positive integers.`);
  return values;
}

function phases(argv: string[]): Set<BenchPhase> {
  const raw = flagValue(argv, "only") ?? process.env.BENCH_ONLY;
  if (!raw) return new Set(PHASES);
  const picked = raw.split(",").map((part) => part.trim());
  const unknown = picked.filter((part) => !PHASES.includes(part as BenchPhase));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY (--only) knows ${PHASES.join(", ")}; got ${unknown.join(", ")}.`);
  return new Set(picked as BenchPhase[]);
}

// Reads the options of one run.
export function readBenchOptions(argv = process.argv.slice(2)): BenchOptions {
  const patients = integer(argv, "patients", "BENCH_PATIENTS", 20_000);
  const options: BenchOptions = {
    patients,
    devices: integer(argv, "devices", "BENCH_DEVICES", Math.round(patients * 1.5)),
    readings: integer(argv, "readings", "BENCH_READINGS", patients * 500),
    port: integer(argv, "port", "PORT", 3700),
    simulatorPort: integer(argv, "simulator-port", "SIMULATOR_PORT", 4710),
    embeddedPort: integer(argv, "embedded-port", "BENCH_POSTGRES_PORT", 54359),
    ingestConcurrency: integerList(argv, "ingest-concurrency", "BENCH_INGEST_CONCURRENCY", [1, 8, 64]),
    ingestShapes: shapeKeys(argv),
    pageConcurrency: integerList(argv, "page-concurrency", "BENCH_PAGE_CONCURRENCY", [1, 16]),
    ingestSecondsPerScenario: integer(argv, "ingest-seconds", "BENCH_INGEST_SECONDS", 15),
    ingestMaxReadingsPerScenario: integer(argv, "ingest-max-readings", "BENCH_INGEST_MAX_READINGS", 150_000),
    pageRequests: integer(argv, "page-requests", "BENCH_PAGE_REQUESTS", 64),
    pageCases: (flagValue(argv, "page-cases") ?? process.env.BENCH_PAGE_CASES ?? "").split(",").map((part) => part.trim()).filter(Boolean),
    soakSeconds: integer(argv, "soak-seconds", "BENCH_SOAK_SECONDS", 60),
    load: {
      readingsPerSecond: integer(argv, "load-readings-per-second", "BENCH_LOAD_READINGS_PER_SECOND", 300),
      seconds: integer(argv, "load-seconds", "BENCH_LOAD_SECONDS", 60),
      clinicians: integer(argv, "load-clinicians", "BENCH_LOAD_CLINICIANS", 8),
      thinkMs: integer(argv, "load-think-ms", "BENCH_LOAD_THINK_MS", 1000),
      drainSeconds: integer(argv, "load-drain-seconds", "BENCH_LOAD_DRAIN_SECONDS", 180),
      isStrict: (flagValue(argv, "load-strict") ?? process.env.BENCH_LOAD_STRICT) === "1",
    },
    phases: phases(argv),
    outputDir: flagValue(argv, "out") ?? process.env.BENCH_OUT ?? "bench-results",
  };
  if (options.patients < 10) throw new Error("BENCH_PATIENTS must be at least 10.");
  if (options.devices < options.patients) throw new Error("BENCH_DEVICES must be at least BENCH_PATIENTS (every patient has a device).");
  if (options.load.readingsPerSecond < 1 || options.load.seconds < 1) throw new Error("BENCH_LOAD_READINGS_PER_SECOND and BENCH_LOAD_SECONDS must be at least 1.");
  return options;
}
