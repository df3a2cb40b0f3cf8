import { decryptSecret, encryptSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { callVendor, type DeviceContext } from "@/lib/devices/context";
import type { DbTx } from "@/lib/devices/lifecycle";
import { fullName } from "@/lib/patients/names";
import type { TenoviPatientInput } from "@/lib/vendors/tenovi/payloads";

// A patient's accounts at the vendors: the ids Pulseboard gives them and the Validic marketplace token.

// The id Pulseboard gives a patient at every vendor (Tenovi external_id, Validic uid): the patient's own record id,
// stable for life and free of PHI.
export function vendorPatientId(patientId: string): string {
  return patientId;
}

// The id the patient has (or will have) at a vendor: the one already recorded, else Pulseboard's own.
export async function vendorIdFor(patientId: string, vendor: "tenovi" | "validic"): Promise<string> {
  const identity = await db.vendorIdentity.findUnique({ where: { patientId_vendor: { patientId, vendor } }, select: { externalId: true } });
  return identity?.externalId ?? vendorPatientId(patientId);
}

// The patient fields sent with a Tenovi activation or a patient change.
export type PatientForVendor = {
  id: string;
  firstName: string;
  lastName: string;
  physician: string | null;
  smsConsent: boolean;
};

// The Tenovi `patient` object: our external_id, the name for Tenovi's support staff, the physician (forwarded to
// fulfilment), and sms_opt_in from recorded consent (Tenovi defaults it to true, so it is always sent).
export function tenoviPatientFor(patient: PatientForVendor, externalId: string): TenoviPatientInput {
  return {
    externalId,
    name: fullName(patient),
    ...(patient.physician ? { physician: patient.physician } : {}),
    hasSmsConsent: patient.smsConsent,
  };
}

// Records the patient's Tenovi external_id (if not recorded yet), so webhooks that name only the patient find them.
export async function ensureTenoviIdentity(tx: DbTx, patientId: string, externalId = vendorPatientId(patientId)): Promise<void> {
  await tx.vendorIdentity.upsert({
    where: { patientId_vendor: { patientId, vendor: "tenovi" } },
    create: { patientId, vendor: "tenovi", externalId },
    update: {},
  });
}

// Records which Smartz resident the patient is (the pod's patient at Smartz), so the poller fetches their events.
// A resident already recorded for another patient stays theirs (false); the patient's earlier resident is replaced.
export async function linkSmartzResident(tx: DbTx, patientId: string, residentId: string): Promise<boolean> {
  const holder = await tx.vendorIdentity.findUnique({ where: { vendor_externalId: { vendor: "smartz", externalId: residentId } }, select: { patientId: true } });
  if (holder && holder.patientId !== patientId) return false;
  await tx.vendorIdentity.upsert({
    where: { patientId_vendor: { patientId, vendor: "smartz" } },
    create: { patientId, vendor: "smartz", externalId: residentId },
    update: { externalId: residentId },
  });
  return true;
}

// The patient's Validic user as Pulseboard needs it for Direct Connection.
export type ValidicAccount = { uid: string; marketplaceToken: string };

// The patient's Validic user: the stored one, else the one Validic already holds for our uid, else a new one
// (provisioned only now that the patient is getting a device). The marketplace token is stored encrypted.
export async function ensureValidicUser(ctx: DeviceContext, patientId: string): Promise<ValidicAccount> {
  const existing = await findValidicAccount(patientId);
  if (existing) return existing;
  const uid = await vendorIdFor(patientId, "validic");
  // Provisioning is idempotent at Validic (an existing uid answers 409, which the client turns into that user).
  const user = await callVendor(ctx, { vendor: "validic", operation: "provision_user", patientId }, () => ctx.clients.validic.provisionUser(uid));
  await storeValidicAccount(patientId, uid, user.id, user.marketplace.token);
  return { uid, marketplaceToken: user.marketplace.token };
}

// The patient's Validic user if one exists (stored, or found at Validic by our uid); null when Validic has none.
export async function lookupValidicUser(ctx: DeviceContext, patientId: string): Promise<ValidicAccount | null> {
  const existing = await findValidicAccount(patientId);
  if (existing) return existing;
  const uid = await vendorIdFor(patientId, "validic");
  const user = await callVendor(ctx, { vendor: "validic", operation: "get_user", patientId }, () => ctx.clients.validic.getUser(uid));
  if (!user) return null;
  await storeValidicAccount(patientId, uid, user.id, user.marketplace.token);
  return { uid, marketplaceToken: user.marketplace.token };
}

async function findValidicAccount(patientId: string): Promise<ValidicAccount | null> {
  const identity = await db.vendorIdentity.findUnique({
    where: { patientId_vendor: { patientId, vendor: "validic" } },
    // The marketplace token authenticates Direct Connection calls for this patient.
    omit: { marketplaceTokenEncrypted: false },
  });
  if (!identity?.marketplaceTokenEncrypted) return null;
  return { uid: identity.externalId, marketplaceToken: decryptSecret(identity.marketplaceTokenEncrypted) };
}

async function storeValidicAccount(patientId: string, uid: string, vendorUserId: string, marketplaceToken: string): Promise<void> {
  const marketplaceTokenEncrypted = encryptSecret(marketplaceToken);
  await db.vendorIdentity.upsert({
    where: { patientId_vendor: { patientId, vendor: "validic" } },
    create: { patientId, vendor: "validic", externalId: uid, vendorUserId, marketplaceTokenEncrypted },
    update: { externalId: uid, vendorUserId, marketplaceTokenEncrypted },
  });
}
