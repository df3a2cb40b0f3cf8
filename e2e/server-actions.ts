import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

import { PERMISSIONS, type Permission } from "../lib/permissions";

// The server actions in lib/actions/ as the production build knows them, and how to call one over plain HTTP the
// way a browser does (POST to a page, Next-Action header, JSON array of arguments, RSC answer).

const ACTIONS_DIR = "lib/actions";
const MANIFEST = ".next/server/server-reference-manifest.json";
const ACTION_EXPORT = /export const (\w+) = authActionClient\s*\.metadata\(\{\s*action:\s*(\w+|"[^"]+"),\s*permission:\s*"([^"]+)"\s*\}\)/g;
const SESSION_EXPORT = /export async function (\w+)\(/g;

// What authActionClient answers when it refuses (lib/actions/safe-action.ts), and next-safe-action's message for
// an error that is not an AppError (a crash the user must never be shown as anything more specific).
export const FORBIDDEN_MESSAGE = "Your role does not allow this action.";
export const UNAUTHENTICATED_MESSAGE = "Your session has ended. Sign in again.";
export const GENERIC_SERVER_ERROR = "Something went wrong while executing the operation.";

// An action found in lib/actions/: its file, export, and either the permission it names or "session" for
// sign-in and sign-out, which run without (or end) a session and are not built with authActionClient.
export type ServerAction = {
  file: string;
  exportName: string;
  kind: "permission" | "session";
  permission?: Permission;
  auditAction?: string;
  id?: string;
  // The page the action is posted to: one that imports it, so Next runs it without forwarding.
  page?: string;
};

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };

// Every exported action in lib/actions/*.ts (helpers and tests excluded), with its id from the build's manifest.
export function discoverServerActions(): ServerAction[] {
  const manifest = readManifest();
  const files = readdirSync(ACTIONS_DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  return files.flatMap((file) => {
    const source = readFileSync(path.join(ACTIONS_DIR, file), "utf8");
    if (!/^["']use server["'];/.test(source.trimStart())) return [];
    const filename = `${ACTIONS_DIR}/${file}`;
    const permissioned = [...source.matchAll(ACTION_EXPORT)].map(([, exportName = "", auditAction = "", permission = ""]) => ({
      file: filename,
      exportName,
      kind: "permission" as const,
      permission: permission in PERMISSIONS ? (permission as Permission) : undefined,
      // Only a string literal is known here; a constant (BREAK_GLASS_ACTION) is left to the action's own tests.
      auditAction: auditAction.startsWith('"') ? auditAction.slice(1, -1) : undefined,
    }));
    const session = [...source.matchAll(SESSION_EXPORT)].map(([, exportName = ""]) => ({ file: filename, exportName, kind: "session" as const }));
    return [...permissioned, ...session].map((action) => ({ ...action, ...locate(manifest, action.file, action.exportName) }));
  });
}

function readManifest(): Record<string, ManifestEntry> {
  if (!existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: the e2e server builds it (scripts/start.ts --e2e).`);
  return (JSON.parse(readFileSync(MANIFEST, "utf8")) as { node: Record<string, ManifestEntry> }).node;
}

function locate(manifest: Record<string, ManifestEntry>, file: string, exportName: string): { id?: string; page?: string } {
  const found = Object.entries(manifest).find(([, entry]) => entry.filename === file && entry.exportedName === exportName);
  if (!found) return {};
  const [id, entry] = found;
  // Prefer a page without dynamic segments; dynamic ones get a real id filled in by the caller.
  const pages = Object.keys(entry.workers).filter((w) => w.startsWith("app/")).map(pageRoute).sort((a, b) => Number(a.includes("[")) - Number(b.includes("[")));
  return { id, page: pages[0] };
}

// "app/(dashboard)/patients/[id]/page" -> "/patients/[id]".
function pageRoute(worker: string): string {
  const segments = worker.replace(/^app\//, "").replace(/\/?page$/, "").split("/").filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

// The page URL with its dynamic segments filled in.
export function pageUrl(page: string, patientId: string): string {
  return page.replace(/\[(?:id|patientId)\]/g, patientId);
}

// next-safe-action's result object, as far as these tests read it.
export type ActionResult = { data?: unknown; serverError?: string; validationErrors?: unknown };
export type ActionResponse = { status: number; location?: string; contentType: string; result?: ActionResult; text: string };

// Posts an action like React's client does and parses the result row out of the RSC answer. Redirects are not
// followed, so a refusal at the front door (proxy.ts) shows as what it is.
export async function callAction(request: APIRequestContext, url: string, actionId: string, args: unknown[] | string): Promise<ActionResponse> {
  const response = await request.post(url, {
    headers: { "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component" },
    data: typeof args === "string" ? args : encodeArgs(args),
    maxRedirects: 0,
    failOnStatusCode: false,
  });
  const text = await response.text();
  const contentType = response.headers()["content-type"] ?? "";
  return { status: response.status(), location: response.headers()["location"], contentType, result: parseActionResult(text), text };
}

// Action arguments as React's client encodes plain JSON values: a string starting with "$" is escaped to "$$…",
// because the server reads "$…" as a reference. A raw string is sent as it is (for malformed-body tests).
export function encodeArgs(args: unknown[]): string {
  return JSON.stringify(args, (_key, value: unknown) => (typeof value === "string" && value.startsWith("$") ? `$${value}` : value));
}

// The RSC payload is rows of `<id>:<json>`; row 0 points at the result row ("a": "$@<id>").
export function parseActionResult(text: string): ActionResult | undefined {
  const rows = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]+):(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) rows.set(match[1], match[2]);
  }
  const head = safeJson(rows.get("0"));
  const pointer = isObject(head) && typeof head.a === "string" ? /^\$@([0-9a-f]+)$/.exec(head.a)?.[1] : undefined;
  const body = pointer ? safeJson(rows.get(pointer)) : undefined;
  return isObject(body) ? (body as ActionResult) : undefined;
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
