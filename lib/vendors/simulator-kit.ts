import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { VendorName } from "@/lib/vendors/base-client";

// What a simulator route handler receives: the request plus parsed path parameters and body text.
export type SimContext = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  bodyText: string;
};

export type SimRoute = {
  method: string;
  // Path relative to the simulator's mount prefix, with :name parameters, e.g. "/hwi/hwi-devices/:id/".
  path: string;
  handler: (ctx: SimContext) => Promise<Response> | Response;
};

// One vendor's simulator: the HTTP surface it serves under its prefix and the background work it does.
export type VendorSimulator = {
  vendor: VendorName;
  prefix: string;
  routes: SimRoute[];
  // Called every tick by the simulator server: shipments advance, devices measure, batches are pushed.
  tick?: (now: Date) => Promise<void>;
  // Answers for paths no route matches (e.g. Tenovi's redirect for a missing trailing slash).
  fallback?: (ctx: SimContext) => Promise<Response | null> | Response | null;
};

export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

// Matches a route path with :params against a concrete path; returns the parameters or null.
export function matchPath(pattern: string, actual: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:(\w+)/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const match = new RegExp(`^${source}$`).exec(actual);
  if (!match) return null;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]));
}

// The simulator's own records, one JSON document per (vendor, kind, key), kept in PostgreSQL.
export function simulatorStore(vendor: VendorName) {
  return {
    async get<T>(kind: string, key: string): Promise<T | null> {
      const row = await db.simulatorEntity.findUnique({ where: { vendor_kind_key: { vendor, kind, key } } });
      return row ? (row.data as T) : null;
    },
    async put<T>(kind: string, key: string, data: T): Promise<T> {
      const value = data as Prisma.InputJsonValue;
      await db.simulatorEntity.upsert({
        where: { vendor_kind_key: { vendor, kind, key } },
        create: { vendor, kind, key, data: value },
        update: { data: value },
      });
      return data;
    },
    async list<T>(kind: string): Promise<T[]> {
      const rows = await db.simulatorEntity.findMany({ where: { vendor, kind }, orderBy: { createdAt: "asc" } });
      return rows.map((r) => r.data as T);
    },
    async remove(kind: string, key: string): Promise<boolean> {
      const { count } = await db.simulatorEntity.deleteMany({ where: { vendor, kind, key } });
      return count > 0;
    },
  };
}

export type FailureMode = "status" | "timeout" | "malformed";
export type FailureSwitch = { remaining: number; mode: FailureMode; status: number; retryAfterSeconds?: number };

const FAILURE_KIND = "failure-switch";

// Arms the failure switch: the vendor's next `remaining` calls fail the chosen way (outage rehearsals).
export async function setFailureSwitch(vendor: VendorName, failure: FailureSwitch | null): Promise<void> {
  const store = simulatorStore(vendor);
  if (!failure || failure.remaining <= 0) await store.remove(FAILURE_KIND, "next");
  else await store.put(FAILURE_KIND, "next", failure);
}

// The armed failure switch, if any (the Simulation page shows it).
export async function getFailureSwitch(vendor: VendorName): Promise<FailureSwitch | null> {
  return simulatorStore(vendor).get<FailureSwitch>(FAILURE_KIND, "next");
}

// Takes one failure from the switch, atomically, so concurrent calls each consume one.
export async function takeFailure(vendor: VendorName): Promise<FailureSwitch | null> {
  const rows = await db.$queryRaw<{ data: FailureSwitch }[]>`
    UPDATE "SimulatorEntity"
       SET data = jsonb_set(data, '{remaining}', to_jsonb((data->>'remaining')::int - 1)), "updatedAt" = now()
     WHERE vendor = ${vendor}::"Vendor" AND kind = ${FAILURE_KIND} AND key = 'next' AND (data->>'remaining')::int > 0
     RETURNING data`;
  return rows[0]?.data ?? null;
}

export async function failureResponse(failure: FailureSwitch): Promise<Response> {
  if (failure.mode === "timeout") {
    // Longer than any client timeout; the client gives up first.
    await new Promise((resolve) => setTimeout(resolve, 65_000));
    return json(504, { message: "Simulated timeout" });
  }
  if (failure.mode === "malformed") return new Response("<html>Bad gateway</html>", { status: 200, headers: { "Content-Type": "text/html" } });
  const headers: Record<string, string> = failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : {};
  return json(failure.status, { message: `Simulated failure (HTTP ${failure.status})`, detail: `Simulated failure (HTTP ${failure.status})` }, headers);
}

const SECRET_FIELD = /token|secret|key|password|authorization/i;

// Copies a request body with every credential-looking field's value replaced, so the request log keeps no secrets.
export function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody);
  if (body === null || typeof body !== "object") return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_FIELD.test(k) ? "[redacted]" : redactBody(v)]));
}

// Records a request the simulator received (path without query string, body with credentials redacted).
export async function recordSimulatorRequest(vendor: VendorName, method: string, path: string, status: number, body: unknown) {
  await db.simulatorRequest.create({
    data: { vendor, method, path, status, body: body === undefined ? undefined : (redactBody(body) as Prisma.InputJsonValue) },
  });
}

export async function recentSimulatorRequests(vendor: VendorName, take = 50) {
  return db.simulatorRequest.findMany({ where: { vendor }, orderBy: { id: "desc" }, take });
}
