import { randomUUID } from "node:crypto";
import bcrypt from "bcryptjs";
import pg from "pg";

import { withDatabaseName } from "../tests/database-url";

// The database of the server Playwright runs (scripts/start.ts --e2e): DATABASE_URL's server or the embedded
// e2e cluster, database E2E_DATABASE_NAME. Tests use it to set up what the UI cannot (and to check what it wrote).
export function e2eDatabaseUrl(): string {
  const server = process.env.DATABASE_URL?.trim() || `postgresql://pulseboard:pulseboard-local@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54349}/postgres`;
  return withDatabaseName(server, process.env.E2E_DATABASE_NAME ?? "pulseboard_e2e");
}

// Runs queries on the e2e database with a short-lived client.
export async function withE2eDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

// A staff account a test created, with its password.
export type TestStaff = { id: string; email: string; password: string; role: string };

// A throwaway staff account, so a test can end or change its sessions without touching the demo logins.
export async function createStaff(role: "admin" | "coordinator" | "clinician"): Promise<TestStaff> {
  const staff = { id: `e2e-${randomUUID()}`, email: `e2e-${randomUUID()}@example.org`, password: `e2e-${randomUUID()}`, role };
  // Cost 4: the hash only has to verify, and a test should not wait for cost 12.
  const passwordHash = await bcrypt.hash(staff.password, 4);
  await withE2eDatabase((c) =>
    c.query(`INSERT INTO "User" (id, email, name, "passwordHash", role, "updatedAt") VALUES ($1, $2, $3, $4, $5::"Role", now())`, [staff.id, staff.email, `E2E ${role}`, passwordHash, role]),
  );
  return staff;
}

// Some columns of one staff member's row, as stored (what a spec checks after acting through the UI).
export async function staffColumns<T extends Record<string, unknown>>(userId: string, columns: (keyof T & string)[]): Promise<T> {
  const list = columns.map((column) => `"${column}"`).join(", ");
  const result = await withE2eDatabase((c) => c.query<T>(`SELECT ${list} FROM "User" WHERE id = $1`, [userId]));
  const row = result.rows[0];
  if (!row) throw new Error(`no user ${userId}`);
  return row;
}

// The id of a seeded demo patient.
export async function patientIdByMrn(mrn: string): Promise<string> {
  const result = await withE2eDatabase((c) => c.query<{ id: string }>(`SELECT id FROM "Patient" WHERE mrn = $1`, [mrn]));
  const id = result.rows[0]?.id;
  if (!id) throw new Error(`No seeded patient ${mrn}; is the e2e database seeded?`);
  return id;
}

// A timestamp for a `timestamp(3)` column holding UTC, as Prisma stores them.
export function utcTimestamp(date = new Date()): string {
  return date.toISOString().replace("Z", "");
}
