import { existsSync, readFileSync } from "node:fs";

import { SIMULATOR_CREDENTIALS } from "../lib/vendors/config";
import { withE2eDatabase } from "./database";
import { DEMO_PASSWORD } from "./fixtures";
import { phoneVariants, type SensitiveValue } from "./phi-scan";

// Everything that must never reach a log line, read from the e2e database (every seeded and test-created patient,
// device and token) and from the environment the server ran with. Nothing here is typed in by hand.
export async function collectSensitiveValues(): Promise<SensitiveValue[]> {
  const [database, environment] = await Promise.all([databaseValues(), Promise.resolve(environmentValues())]);
  return [...database, ...environment];
}

type PatientRow = { firstName: string; lastName: string; dob: string; phone: string | null; email: string | null; mrn: string; addressLine1: string | null; addressLine2: string | null };

async function databaseValues(): Promise<SensitiveValue[]> {
  return withE2eDatabase(async (c) => {
    const patients = await c.query<PatientRow>(
      `SELECT "firstName", "lastName", to_char("dateOfBirth", 'YYYY-MM-DD') AS dob, phone, email, mrn, "addressLine1", "addressLine2" FROM "Patient"`,
    );
    const shipments = await c.query<{ shippingName: string; addressLine1: string; addressLine2: string | null; notifyEmails: string | null }>(
      `SELECT "shippingName", "addressLine1", "addressLine2", "notifyEmails" FROM "Shipment"`,
    );
    const hardware = await c.query<{ kind: string; value: string }>(
      `SELECT 'imei' AS kind, imei AS value FROM "Device" WHERE imei IS NOT NULL
       UNION ALL SELECT 'gateway id', "gatewayId" FROM "Device" WHERE "gatewayId" IS NOT NULL
       UNION ALL SELECT 'gateway id', "gatewayUuid" FROM "Gateway"`,
    );
    const secrets = await c.query<{ kind: string; value: string }>(
      `SELECT 'password hash' AS kind, "passwordHash" AS value FROM "User"
       UNION ALL SELECT 'marketplace token (encrypted)', "marketplaceTokenEncrypted" FROM "VendorIdentity" WHERE "marketplaceTokenEncrypted" IS NOT NULL
       UNION ALL SELECT 'push token hash', "tokenHash" FROM "PushAccessToken"
       UNION ALL SELECT 'simulator token', key FROM "SimulatorEntity" WHERE kind = 'token'`,
    );
    // Tokens and keys the simulators issued or hold (Smartz access tokens, Validic marketplace tokens, …).
    const simulatorSecrets = await c.query<{ kind: string; value: string }>(
      `SELECT 'simulator ' || e.kind || ' ' || field.key AS kind, field.value #>> '{}' AS value
       FROM "SimulatorEntity" e, jsonb_each(CASE WHEN jsonb_typeof(e.data) = 'object' THEN e.data ELSE '{}'::jsonb END) AS field
       WHERE field.key ~* '(token|secret|key|password)' AND jsonb_typeof(field.value) = 'string'`,
    );
    return [
      ...patients.rows.flatMap(patientValues),
      ...shipments.rows.flatMap((s) => [
        { kind: "shipping name", value: s.shippingName },
        { kind: "shipping address", value: s.addressLine1 },
        ...(s.addressLine2 ? [{ kind: "shipping address", value: s.addressLine2 }] : []),
        ...(s.notifyEmails ?? "").split(/[,\s]+/).filter(Boolean).map((value) => ({ kind: "notify email", value, isCaseInsensitive: true })),
      ]),
      ...hardware.rows,
      ...secrets.rows,
      ...simulatorSecrets.rows,
    ];
  });
}

function patientValues(p: PatientRow): SensitiveValue[] {
  return [
    { kind: "patient name", value: `${p.firstName} ${p.lastName}` },
    { kind: "patient name", value: `${p.lastName}, ${p.firstName}` },
    { kind: "patient last name", value: p.lastName },
    { kind: "date of birth", value: p.dob },
    { kind: "MRN", value: p.mrn },
    ...(p.phone ? phoneVariants(p.phone).map((value) => ({ kind: "phone", value })) : []),
    ...(p.email ? [{ kind: "patient email", value: p.email, isCaseInsensitive: true }] : []),
    ...(p.addressLine1 ? [{ kind: "address", value: p.addressLine1 }] : []),
    ...(p.addressLine2 ? [{ kind: "address", value: p.addressLine2 }] : []),
  ];
}

const SECRET_NAME = /(SECRET|KEY|TOKEN|PASSWORD|CREDENTIALS)/;

// Secrets in the environment (any variable named like one), the generated local secrets, the database password,
// the demo login password, and the simulator credentials the vendor clients send when no live key is set.
function environmentValues(): SensitiveValue[] {
  const fromEnv = Object.entries(process.env).flatMap(([name, value]) => (value && SECRET_NAME.test(name) ? [{ kind: `env ${name}`, value }] : []));
  const localFile = ".data/local-secrets.json";
  const local = existsSync(localFile) ? Object.entries(JSON.parse(readFileSync(localFile, "utf8")) as Record<string, string>).map(([name, value]) => ({ kind: name, value })) : [];
  const databasePassword = process.env.DATABASE_URL ? decodeURIComponent(new URL(process.env.DATABASE_URL).password) : "";
  const simulator = Object.entries(SIMULATOR_CREDENTIALS).flatMap(([vendor, credentials]) =>
    Object.entries(credentials)
      .filter(([field]) => /key|token|secret/i.test(field))
      .flatMap(([field, value]) => [value, ...basicCredential(value)].map((v) => ({ kind: `${vendor} ${field}`, value: v }))),
  );
  return [
    ...fromEnv,
    ...local,
    ...(databasePassword ? [{ kind: "database password", value: databasePassword }] : []),
    { kind: "demo password", value: DEMO_PASSWORD },
    ...simulator,
  ];
}

// "Basic <base64>": the encoded part alone is the secret too.
function basicCredential(value: string): string[] {
  const match = /^(?:Basic|Bearer)\s+(\S+)$/.exec(value);
  return match?.[1] ? [match[1]] : [];
}
