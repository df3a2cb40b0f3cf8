import { z } from "zod";

import { AppError } from "@/lib/errors";
import { VendorHttpClient, VendorHttpError, type VendorClientOptions } from "@/lib/vendors/base-client";
import { validicConfig } from "@/lib/vendors/config";
import { IMEI_LENGTH, imeiProblem } from "@/lib/vendors/validic/imei";
import {
  directConnectionSchema,
  disconnectAllSchema,
  SMART_METER_DEVICE_TYPES,
  smartMeterDeviceTypeSchema,
  validicRecordListSchema,
  validicUserListSchema,
  validicUserSchema,
  type DirectConnection,
  type DisconnectAllResult,
  type ValidicUser,
} from "@/lib/vendors/validic/schemas";

type RecordsPathInput = { orgId: string; uid: string; resource: string };

// Where and as whom the client calls Validic, plus the assumption switches and HTTP tuning.
export type ValidicClientOptions = {
  // REST API, e.g. https://api.v2.validic.com.
  apiUrl: string;
  // Marketplace and Direct Connection host, e.g. https://syncmydevice.com.
  marketplaceUrl: string;
  orgId: string;
  orgToken: string;
  // ASSUMPTION: the vendor-docs sample says form-encoded but shows a JSON body; JSON is the default, form the fallback.
  provisionEncoding?: "json" | "form";
  // ASSUMPTION: GET /organizations/{org}/users/{uid}/{resource} (e.g. "measurements") serves a user's records.
  recordsPath?: (input: RecordsPathInput) => string;
} & Pick<VendorClientOptions, "timeoutMs" | "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "fetch">;

// The optional location sent when provisioning (IANA time zone, ISO country code).
export type ProvisionLocation = { timezone?: string; country_code?: string };
// Which users listUsers returns.
export type UserStatusFilter = "active" | "suspended" | "all";
// Which records fetchRecords asks for: resource path segment and date window.
export type RecordQuery = { resource?: string; startDate: Date | string; endDate: Date | string };

const DEFAULT_RECORDS_PATH = ({ orgId, uid, resource }: RecordsPathInput) =>
  `/organizations/${encodeURIComponent(orgId)}/users/${encodeURIComponent(uid)}/${encodeURIComponent(resource)}`;
const DEVICE_IMEI = new RegExp(`^\\d{${IMEI_LENGTH}}$`);
const ignoredBody = z.unknown().transform(() => true as const);

// Validic Inform v2: users on the REST API with the org token, Smart Meter Direct Connection with the user's marketplace token.
export class ValidicClient {
  private readonly options: ValidicClientOptions;
  private readonly api: VendorHttpClient;

  constructor(options: ValidicClientOptions) {
    this.options = options;
    // The org token travels in the query string, so it must be scrubbed from every URL, error and log line.
    this.api = new VendorHttpClient({ ...this.httpOptions(), baseUrl: options.apiUrl, secrets: () => [options.orgToken] });
  }

  // POST /organizations/{org_id}/users — creates the user, or returns the one that already holds this uid.
  async provisionUser(uid: string, location?: ProvisionLocation): Promise<ValidicUser> {
    const created = await this.api.request({
      operation: "provision user",
      method: "POST",
      path: this.usersPath(),
      query: { token: this.options.orgToken },
      ...this.provisionBody(uid, location),
      response: validicUserSchema,
      // A repeat of a provision that did go through answers 409, which counts as success, so retrying is safe.
      idempotent: true,
      acceptStatuses: [409],
    });
    if (created) return created;
    const existing = await this.getUser(uid);
    if (existing) return existing;
    // ASSUMPTION: 409 with no user behind it is the hold on a recently deleted uid (5 minutes).
    throw new AppError("CONFLICT", "Validic still holds this patient's ID from a recent deletion. Try again in a few minutes.");
  }

  // GET /organizations/{org_id}/users/{uid} — by our uid; null means "not provisioned".
  async getUser(uid: string): Promise<ValidicUser | null> {
    return this.api.request({
      operation: "get user",
      method: "GET",
      path: this.userPath(uid),
      query: { token: this.options.orgToken },
      response: validicUserSchema,
      idempotent: true,
      acceptStatuses: [404],
    });
  }

  // GET /organizations/{org_id}/users — newest first, active users unless told otherwise.
  async listUsers(filter: { status?: UserStatusFilter; uid?: string; limit?: number } = {}): Promise<ValidicUser[]> {
    const { status = "active", uid, limit = 100 } = filter;
    const q = [status === "all" ? null : `status=${status}`, uid === undefined ? null : `uid=${uid}`].filter((v) => v !== null);
    const list = await this.api.request({
      operation: "list users",
      method: "GET",
      path: this.usersPath(),
      query: { token: this.options.orgToken, "sort[]": ["-created_at"], "q[]": q, limit },
      response: validicUserListSchema,
      idempotent: true,
    });
    return list.data;
  }

  // DELETE /organizations/{org_id}/users/{uid} — ASSUMPTION (documented for v1 only); false when there was no such user.
  async deleteUser(uid: string): Promise<boolean> {
    const deleted = await this.api.request({
      operation: "delete user",
      method: "DELETE",
      path: this.userPath(uid),
      query: { token: this.options.orgToken },
      response: ignoredBody,
      idempotent: true,
      acceptStatuses: [404],
    });
    return deleted === true;
  }

  // PUT /organizations/{org_id}/users/{uid} with suspend "1"/"0" — ASSUMPTION (documented for v1 only).
  async suspendUser(uid: string, suspended: boolean): Promise<void> {
    try {
      await this.api.request({
        operation: suspended ? "suspend user" : "resume user",
        method: "PUT",
        path: this.userPath(uid),
        query: { token: this.options.orgToken },
        json: { suspend: suspended ? "1" : "0" },
        response: ignoredBody,
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof VendorHttpError && error.httpStatus === 404) {
        throw rephrase(error, "This patient is not provisioned at Validic, so there is nothing to suspend or resume.");
      }
      throw error;
    }
  }

  // GET /organizations/{org_id}/users/{uid}/measurements — ASSUMPTION: path and `{data, summary?}` shape; for reconciliation.
  // The records come back unparsed (lib/vendors/validic/record-schemas.ts checks each one where it is processed).
  async fetchRecords(uid: string, query: RecordQuery): Promise<unknown[]> {
    const resource = query.resource ?? "measurements";
    const list = await this.api.request({
      operation: `fetch ${resource}`,
      method: "GET",
      path: (this.options.recordsPath ?? DEFAULT_RECORDS_PATH)({ orgId: this.options.orgId, uid, resource }),
      query: { token: this.options.orgToken, start_date: isoDate(query.startDate), end_date: isoDate(query.endDate) },
      response: validicRecordListSchema,
      idempotent: true,
    });
    return list.data;
  }

  // POST /direct/auth/smart_meter/connect — one device per call; answers 202 and completes later (watch the user's sources).
  async connect(marketplaceToken: string, imei: string, deviceType: string): Promise<DirectConnection> {
    const problem = imeiProblem(imei);
    if (problem) throw new AppError("INVALID_INPUT", problem);
    const type = smartMeterDeviceTypeSchema.safeParse(deviceType);
    if (!type.success) {
      throw new AppError("INVALID_INPUT", `A Smart Meter device type is one of ${SMART_METER_DEVICE_TYPES.join(", ")}.`);
    }
    try {
      return await this.marketplace(marketplaceToken).request({
        operation: "connect Smart Meter device",
        method: "POST",
        path: "/direct/auth/smart_meter/connect",
        json: { token: marketplaceToken, device_id: imei, device_type: type.data },
        response: directConnectionSchema,
        // Creating call: never retried; a reconcile reads the user's sources instead (STYLE §14.2).
        idempotent: false,
      });
    } catch (error) {
      throw explainDirectConnectionError(error, "connect");
    }
  }

  // POST /direct/auth/smart_meter/disconnect/{IMEI}?token= — removes one device from the user.
  async disconnect(marketplaceToken: string, imei: string): Promise<DirectConnection> {
    // Only the format is checked: a device the patient connected by hand in the marketplace must still be removable.
    if (!DEVICE_IMEI.test(imei)) throw new AppError("INVALID_INPUT", `An IMEI has exactly ${IMEI_LENGTH} digits.`);
    try {
      return await this.marketplace(marketplaceToken).request({
        operation: "disconnect Smart Meter device",
        method: "POST",
        path: `/direct/auth/smart_meter/disconnect/${imei}`,
        query: { token: marketplaceToken },
        response: directConnectionSchema,
      });
    } catch (error) {
      throw explainDirectConnectionError(error, "disconnect");
    }
  }

  // POST /direct/auth/smart_meter/disconnect_all?token= — removes every Smart Meter device from the user.
  async disconnectAll(marketplaceToken: string): Promise<DisconnectAllResult> {
    try {
      return await this.marketplace(marketplaceToken).request({
        operation: "disconnect all Smart Meter devices",
        method: "POST",
        path: "/direct/auth/smart_meter/disconnect_all",
        query: { token: marketplaceToken },
        response: disconnectAllSchema,
      });
    } catch (error) {
      throw explainDirectConnectionError(error, "disconnect all");
    }
  }

  private marketplace(marketplaceToken: string): VendorHttpClient {
    // One client per user token, so that token is what gets scrubbed from URLs and errors.
    return new VendorHttpClient({
      ...this.httpOptions(),
      baseUrl: this.options.marketplaceUrl,
      secrets: () => [marketplaceToken, this.options.orgToken],
    });
  }

  private httpOptions() {
    const { timeoutMs, maxAttempts, baseDelayMs, maxDelayMs, fetch } = this.options;
    const defined = Object.entries({ timeoutMs, maxAttempts, baseDelayMs, maxDelayMs, fetch }).filter(([, v]) => v !== undefined);
    return { vendor: "validic" as const, ...(Object.fromEntries(defined) as Partial<VendorClientOptions>) };
  }

  private usersPath(): string {
    return `/organizations/${encodeURIComponent(this.options.orgId)}/users`;
  }

  private userPath(uid: string): string {
    return `${this.usersPath()}/${encodeURIComponent(uid)}`;
  }

  private provisionBody(uid: string, location?: ProvisionLocation): { json: unknown } | { form: Record<string, string> } {
    const place = Object.fromEntries(Object.entries(location ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const hasLocation = Object.keys(place).length > 0;
    if (this.options.provisionEncoding !== "form") return { json: hasLocation ? { uid, location: place } : { uid } };
    // Rails-style nesting, the form encoding of a nested object.
    const nested = Object.fromEntries(Object.entries(place).map(([key, value]) => [`location[${key}]`, value]));
    return { form: { uid, ...nested } };
  }
}

// The client for the configured Validic account, or for the built-in simulator when none is configured.
export function createValidicClient(overrides: Partial<ValidicClientOptions> = {}): ValidicClient {
  const config = validicConfig();
  return new ValidicClient({
    apiUrl: config.apiUrl,
    marketplaceUrl: config.marketplaceUrl,
    orgId: config.orgId,
    orgToken: config.orgToken,
    ...overrides,
  });
}

function isoDate(value: Date | string): string {
  return typeof value === "string" ? value : value.toISOString().slice(0, 10);
}

// ASSUMPTION: Direct Connection answers 404/409/422 with `{message}`; staff get a sentence saying what to do.
function explainDirectConnectionError(error: unknown, action: "connect" | "disconnect" | "disconnect all"): unknown {
  if (!(error instanceof VendorHttpError)) return error;
  const said = error.vendorMessage ? ` (Validic: ${error.vendorMessage})` : "";
  if (error.httpStatus === 409) {
    return rephrase(error, `This IMEI is already connected to another Validic user. Disconnect it from that patient first, or check the number on the device${said}.`);
  }
  if (error.httpStatus === 422) {
    return rephrase(error, `Validic rejected the IMEI or device type${said}. Check the 15-digit number on the back of the device and the device type.`);
  }
  if (error.httpStatus === 404 && action === "connect") {
    return rephrase(error, `Validic does not recognise this patient's marketplace token${said}. Refresh the patient's Validic account, then connect again.`);
  }
  if (error.httpStatus === 404) {
    return rephrase(error, `Validic has no such Smart Meter connection for this patient; it may already be disconnected${said}.`);
  }
  return error;
}

function rephrase(error: VendorHttpError, message: string): VendorHttpError {
  return new VendorHttpError({
    vendor: error.vendor,
    operation: error.operation,
    method: error.method,
    url: error.url,
    httpStatus: error.httpStatus,
    isRetryable: error.isRetryable,
    vendorMessage: error.vendorMessage,
    message,
    cause: error,
  });
}
