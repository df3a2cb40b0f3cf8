import path from "node:path";

import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/database/embedded";

export type DatabaseTarget = { url: string; isEmbedded: boolean; stop: () => Promise<void> };

export const DEFAULT_DATA_DIR = path.resolve(process.cwd(), ".data/postgres");
export const DEFAULT_EMBEDDED_PORT = 54329;

// DATABASE_URL wins; without it an embedded PostgreSQL starts in a git-ignored folder.
export async function resolveDatabase(options?: { dataDir?: string; port?: number; database?: string }): Promise<DatabaseTarget> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) return { url: external, isEmbedded: false, stop: async () => undefined };
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({
    dataDir: options?.dataDir ?? DEFAULT_DATA_DIR,
    port: options?.port ?? Number(process.env.EMBEDDED_POSTGRES_PORT ?? DEFAULT_EMBEDDED_PORT),
    database: options?.database ?? "pulseboard",
  });
  return { url: embedded.url, isEmbedded: true, stop: embedded.stop };
}
