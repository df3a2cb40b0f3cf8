import { z } from "zod";

import { AppError } from "@/lib/errors";
import { VendorHttpClient, VendorHttpError, type VendorRequest } from "@/lib/vendors/base-client";
import { tenoviConfig } from "@/lib/vendors/config";
import {
  toActivationPayload,
  toDevicePatientFields,
  toHwiPatientPatchPayload,
  toHwiPatientPayload,
  toReplacementPayload,
  type TenoviActivationInput,
  type TenoviHwiPatientInput,
  type TenoviPatientInput,
  type TenoviReplacementInput,
} from "@/lib/vendors/tenovi/payloads";
import {
  tenoviDevicePatchPayloadSchema,
  tenoviDeviceTypeSchema,
  tenoviGatewaySchema,
  tenoviHwiDeviceSchema,
  tenoviHwiPatientSchema,
  tenoviListSchema,
  tenoviMeasurementSchema,
  tenoviReplacementSchema,
  type TenoviDevicePatchPayload,
  type TenoviDeviceType,
  type TenoviGateway,
  type TenoviHwiDevice,
  type TenoviHwiPatient,
  type TenoviMeasurement,
  type TenoviReplacement,
} from "@/lib/vendors/tenovi/schemas";
import { isUnknownGateway } from "@/lib/vendors/tenovi/statuses";

// How to reach the account and how patient to be with it.
export type TenoviClientOptions = {
  // Includes the account's client domain: https://api2.tenovi.com/clients/<client_domain>
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  // How long the account's device types are kept in memory.
  deviceTypesTtlMs?: number;
  // Sent as page_size when set; Tenovi's default is 100 and its maximum 1000.
  pageSize?: number;
  // A bound on pages followed, against a `next` that never ends.
  maxPages?: number;
  fetch?: typeof fetch;
};

// Filters of GET /hwi/hwi-devices/.
export type TenoviDeviceFilters = {
  // device__hardware_uuid: a gateway ID or IMEI.
  hardwareUuid?: string;
  // device__hardware_uuid__iexact.
  hardwareUuidIexact?: string;
  // patient__external_id: Pulseboard's patient id.
  externalId?: string;
  propertyKey?: string;
  propertyValue?: string;
  search?: string;
};

// Filters of the measurement endpoints (backfill reads since the last stored reading).
export type TenoviMeasurementFilters = {
  // timestamp__gte: readings taken at or after this instant (device time).
  since?: Date;
  // Readings taken before this instant (timestamp__lte on a device, timestamp__lt on a patient).
  until?: Date;
  // metric__name, e.g. "blood_pressure".
  metric?: string;
};

// Ordering and filters of GET /hwi/hwi-gateways/.
export type TenoviGatewayFilters = {
  ordering?: "assigned_on" | "-assigned_on" | "shipped_on" | "-shipped_on" | "last_measurement" | "-last_measurement";
  lastMeasurementIsNull?: boolean;
  shippedOnIsNull?: boolean;
};

// What an activation came to. An unknown gateway ID is a 2xx from Tenovi but something staff must fix.
export type TenoviActivationResult =
  | { outcome: "accepted"; device: TenoviHwiDevice }
  | { outcome: "unknown-gateway"; device: TenoviHwiDevice; message: string };

// What a delete came to. Tenovi refuses to delete a device whose fulfillment was fulfilled: unlink it instead.
export type TenoviDeleteResult =
  | { outcome: "deleted" }
  | { outcome: "not-found" }
  | { outcome: "unlink-required"; message: string };

type Query = Record<string, string | number | boolean | undefined>;

const DEFAULT_DEVICE_TYPES_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_PAGES = 1_000;

// Tenovi HWI API: devices, device types, patients, measurements, replacements and gateways, one method per endpoint.
export class TenoviClient {
  private readonly http: VendorHttpClient;
  private readonly options: TenoviClientOptions;
  private deviceTypesCache: { expiresAt: number; value: Promise<TenoviDeviceType[]> } | null = null;

  constructor(options: TenoviClientOptions) {
    // A valid key with the wrong (or a missing) client domain fails, so the domain must be in the base URL.
    if (!/\/clients\/[^/]+\/?$/.test(new URL(options.baseUrl).pathname)) {
      throw new AppError("CONFIGURATION", "The Tenovi base URL must end with /clients/<client_domain> (shown next to the API keys in Tenovi).");
    }
    this.options = options;
    this.http = new VendorHttpClient({
      vendor: "tenovi",
      baseUrl: options.baseUrl,
      // The word Api-Key is case-sensitive.
      headers: () => ({ Authorization: `Api-Key ${options.apiKey}` }),
      secrets: () => [options.apiKey],
      // Only the settings given: an explicit undefined would replace the base client's defaults.
      ...definedOnly({
        timeoutMs: options.timeoutMs,
        maxAttempts: options.maxAttempts,
        baseDelayMs: options.baseDelayMs,
        maxDelayMs: options.maxDelayMs,
        fetch: options.fetch,
      }),
    });
  }

  // The account's device types, cached in memory for deviceTypesTtlMs (failures are not cached).
  async deviceTypes(): Promise<TenoviDeviceType[]> {
    const now = Date.now();
    if (this.deviceTypesCache && this.deviceTypesCache.expiresAt > now) return this.deviceTypesCache.value;
    const value = this.fetchDeviceTypes();
    const entry = { expiresAt: now + (this.options.deviceTypesTtlMs ?? DEFAULT_DEVICE_TYPES_TTL_MS), value };
    this.deviceTypesCache = entry;
    void value.catch(() => {
      if (this.deviceTypesCache === entry) this.deviceTypesCache = null;
    });
    return value;
  }

  // Forgets the cached device types (e.g. after the account's device list changed).
  invalidateDeviceTypes(): void {
    this.deviceTypesCache = null;
  }

  // GET /hwi/hwi-device-types/
  private fetchDeviceTypes(): Promise<TenoviDeviceType[]> {
    return this.collect("list device types", "/hwi/hwi-device-types/", {}, tenoviDeviceTypeSchema);
  }

  // POST /hwi/hwi-devices/
  // Activates or requests a device. Not idempotent: never retried; after a failure, look the device up instead.
  async activateDevice(input: TenoviActivationInput): Promise<TenoviActivationResult> {
    const device = await this.call({
      operation: "activate device",
      method: "POST",
      path: "/hwi/hwi-devices/",
      json: toActivationPayload(input),
      response: tenoviHwiDeviceSchema,
    });
    if (!isUnknownGateway(device)) return { outcome: "accepted", device };
    return {
      outcome: "unknown-gateway",
      device,
      message: `Tenovi does not know the gateway ID ${device.device.hardware_uuid ?? ""}. Check the ID printed on the gateway, then correct it on the device.`,
    };
  }

  // GET /hwi/hwi-devices/?page=N (always paginated, every page followed)
  async listDevices(filters: TenoviDeviceFilters = {}): Promise<TenoviHwiDevice[]> {
    const query: Query = {
      device__hardware_uuid: filters.hardwareUuid,
      device__hardware_uuid__iexact: filters.hardwareUuidIexact,
      patient__external_id: filters.externalId,
      properties__key: filters.propertyKey,
      properties__value: filters.propertyValue,
      search: filters.search,
    };
    return this.collect("list devices", "/hwi/hwi-devices/", query, tenoviHwiDeviceSchema);
  }

  // GET /hwi/hwi-devices/{id}/
  async getDevice(hwiDeviceId: string): Promise<TenoviHwiDevice | null> {
    return this.call({
      operation: "read device",
      method: "GET",
      path: `/hwi/hwi-devices/${segment(hwiDeviceId)}/`,
      response: tenoviHwiDeviceSchema,
      idempotent: true,
      acceptStatuses: [404],
    });
  }

  // PATCH /hwi/hwi-devices/{id}/
  // Updates the device's patient. Like public clients, resends device.name and device.hardware_uuid (read first if not given).
  async updatePatient(
    hwiDeviceId: string,
    patient: TenoviPatientInput,
    current?: { deviceName: string; hardwareUuid: string | null },
  ): Promise<TenoviHwiDevice> {
    const device = current ?? (await this.currentDevice(hwiDeviceId));
    return this.patchDevice(hwiDeviceId, {
      ...toDevicePatientFields(patient),
      device: { name: device.deviceName, hardware_uuid: device.hardwareUuid },
    });
  }

  // PATCH /hwi/hwi-devices/{id}/
  // ASSUMPTION: a clinic-shipped device (Pending Shipment) advances when the clinic records its tracking link.
  async recordClientShipment(hwiDeviceId: string, trackingLink: string, hardwareUuid?: string): Promise<TenoviHwiDevice> {
    const device = await this.currentDevice(hwiDeviceId);
    return this.patchDevice(hwiDeviceId, {
      device: {
        name: device.deviceName,
        hardware_uuid: hardwareUuid ?? device.hardwareUuid,
        fulfillment_request: { shipping_tracking_link: trackingLink },
      },
    });
  }

  // PATCH /hwi/hwi-devices/{id}/
  // Corrects the device's hardware_uuid (e.g. a mistyped gateway ID that came back "Unknown Gateway ID").
  async updateHardwareUuid(hwiDeviceId: string, hardwareUuid: string): Promise<TenoviHwiDevice> {
    const device = await this.currentDevice(hwiDeviceId);
    return this.patchDevice(hwiDeviceId, { device: { name: device.deviceName, hardware_uuid: hardwareUuid } });
  }

  // DELETE /hwi/hwi-devices/{id}/
  // ASSUMPTION: a refusal (device already fulfilled) is a 400; the caller then unlinks the gateway.
  async deleteDevice(hwiDeviceId: string): Promise<TenoviDeleteResult> {
    try {
      const deleted = await this.call({
        operation: "delete device",
        method: "DELETE",
        path: `/hwi/hwi-devices/${segment(hwiDeviceId)}/`,
        response: z.unknown().transform(() => true as const),
        idempotent: true,
        // A retried DELETE whose first attempt went through answers 404.
        acceptStatuses: [404],
      });
      return deleted ? { outcome: "deleted" } : { outcome: "not-found" };
    } catch (error) {
      if (error instanceof VendorHttpError && error.httpStatus === 400) {
        return {
          outcome: "unlink-required",
          message: `Tenovi will not delete this device (its shipment was fulfilled)${error.vendorMessage ? `: ${error.vendorMessage}` : ""}. Unlink the gateway instead.`,
        };
      }
      throw error;
    }
  }

  // GET /hwi/unlink-gateway/{hwi_device_id}/
  // A working public client uses GET. Returns the device when Tenovi sends it back.
  async unlinkGateway(hwiDeviceId: string): Promise<TenoviHwiDevice | null> {
    return this.call({
      operation: "unlink gateway",
      method: "GET",
      path: `/hwi/unlink-gateway/${segment(hwiDeviceId)}/`,
      response: z.union([tenoviHwiDeviceSchema, z.unknown().transform(() => null)]),
      idempotent: true,
    });
  }

  // GET /hwi/hwi-devices/{id}/measurements/?page=N (for backfill)
  async deviceMeasurements(hwiDeviceId: string, filters: TenoviMeasurementFilters = {}): Promise<TenoviMeasurement[]> {
    const query: Query = {
      timestamp__gte: filters.since?.toISOString(),
      timestamp__lte: filters.until?.toISOString(),
      metric__name: filters.metric,
    };
    return this.collect("read device measurements", `/hwi/hwi-devices/${segment(hwiDeviceId)}/measurements/`, query, tenoviMeasurementSchema);
  }

  // GET /hwi/patients/{external_id}/measurements/?page=N (for backfill)
  async patientMeasurements(externalId: string, filters: TenoviMeasurementFilters = {}): Promise<TenoviMeasurement[]> {
    const query: Query = {
      timestamp__gte: filters.since?.toISOString(),
      timestamp__lt: filters.until?.toISOString(),
      metric__name: filters.metric,
    };
    return this.collect("read patient measurements", `/hwi/patients/${segment(externalId)}/measurements/`, query, tenoviMeasurementSchema);
  }

  // GET /hwi/hwi-patients/
  async listHwiPatients(): Promise<TenoviHwiPatient[]> {
    return this.collect("list patients", "/hwi/hwi-patients/", {}, tenoviHwiPatientSchema);
  }

  // GET /hwi/hwi-patients/{external_id}/
  async getHwiPatient(externalId: string): Promise<TenoviHwiPatient | null> {
    return this.call({
      operation: "read patient",
      method: "GET",
      path: `/hwi/hwi-patients/${segment(externalId)}/`,
      response: tenoviHwiPatientSchema,
      idempotent: true,
      acceptStatuses: [404],
    });
  }

  // POST /hwi/hwi-patients/
  // Creating: not retried (a second attempt would be rejected as a duplicate external_id).
  async createHwiPatient(input: TenoviHwiPatientInput): Promise<TenoviHwiPatient> {
    return this.call({
      operation: "create patient",
      method: "POST",
      path: "/hwi/hwi-patients/",
      json: toHwiPatientPayload(input),
      response: tenoviHwiPatientSchema,
    });
  }

  // PUT /hwi/hwi-patients/{external_id}/
  async replaceHwiPatient(input: TenoviHwiPatientInput): Promise<TenoviHwiPatient> {
    const payload = toHwiPatientPayload(input);
    return this.call({
      operation: "replace patient",
      method: "PUT",
      path: `/hwi/hwi-patients/${segment(payload.external_id)}/`,
      json: payload,
      response: tenoviHwiPatientSchema,
      idempotent: true,
    });
  }

  // PATCH /hwi/hwi-patients/{external_id}/
  // The edit reaches every device that shares the external_id.
  async updateHwiPatient(externalId: string, changes: Partial<Omit<TenoviHwiPatientInput, "externalId">>): Promise<TenoviHwiPatient> {
    return this.call({
      operation: "update patient",
      method: "PATCH",
      path: `/hwi/hwi-patients/${segment(externalId)}/`,
      json: toHwiPatientPatchPayload(changes),
      response: tenoviHwiPatientSchema,
      idempotent: true,
    });
  }

  // DELETE /hwi/hwi-patients/{external_id}/
  async deleteHwiPatient(externalId: string): Promise<"deleted" | "not-found"> {
    const deleted = await this.call({
      operation: "delete patient",
      method: "DELETE",
      path: `/hwi/hwi-patients/${segment(externalId)}/`,
      response: z.unknown().transform(() => true as const),
      idempotent: true,
      acceptStatuses: [404],
    });
    return deleted ? "deleted" : "not-found";
  }

  // POST /hwi/hwi-replacements/
  // Creating: not retried.
  async createReplacement(input: TenoviReplacementInput): Promise<TenoviReplacement> {
    return this.call({
      operation: "request replacement",
      method: "POST",
      path: "/hwi/hwi-replacements/",
      json: toReplacementPayload(input),
      response: tenoviReplacementSchema,
    });
  }

  // GET /hwi/hwi-replacements/?page=N
  async listReplacements(): Promise<TenoviReplacement[]> {
    return this.collect("list replacements", "/hwi/hwi-replacements/", {}, tenoviReplacementSchema);
  }

  // GET /hwi/hwi-gateways/
  async listGateways(filters: TenoviGatewayFilters = {}): Promise<TenoviGateway[]> {
    const query: Query = {
      ordering: filters.ordering,
      last_measurement__isnull: filters.lastMeasurementIsNull,
      shipped_on__isnull: filters.shippedOnIsNull,
    };
    return this.collect("list gateways", "/hwi/hwi-gateways/", query, tenoviGatewaySchema);
  }

  private async currentDevice(hwiDeviceId: string): Promise<{ deviceName: string; hardwareUuid: string | null }> {
    const device = await this.getDevice(hwiDeviceId);
    if (!device) throw new AppError("NOT_FOUND", "Tenovi has no device with this ID. It may have been deleted.");
    return { deviceName: device.device.name, hardwareUuid: device.device.hardware_uuid ?? null };
  }

  // PATCH /hwi/hwi-devices/{id}/
  private async patchDevice(hwiDeviceId: string, payload: TenoviDevicePatchPayload): Promise<TenoviHwiDevice> {
    return this.call({
      operation: "update device",
      method: "PATCH",
      path: `/hwi/hwi-devices/${segment(hwiDeviceId)}/`,
      json: tenoviDevicePatchPayloadSchema.parse(payload),
      response: tenoviHwiDeviceSchema,
      idempotent: true,
    });
  }

  // Reads a list endpoint with `page` (unpaginated answers are silently capped), following `next` to the end.
  private async collect<T>(operation: string, path: string, filters: Query, item: z.ZodType<T>): Promise<T[]> {
    const schema = tenoviListSchema(item);
    const items: T[] = [];
    const seen = new Set<string>();
    let request: { path: string; query?: Query } = { path, query: { ...filters, page: 1, page_size: this.options.pageSize } };
    for (let page = 1; ; page++) {
      const body = await this.call({ operation, method: "GET", ...request, response: schema, idempotent: true });
      // An endpoint that is not paginated ignores `page` and answers with a bare array.
      if (Array.isArray(body)) return [...items, ...body];
      items.push(...body.results);
      if (body.next === null) return items;
      if (page >= (this.options.maxPages ?? DEFAULT_MAX_PAGES) || seen.has(body.next)) {
        throw this.paginationError(operation, body.next, "Tenovi's list did not end; Pulseboard stopped following pages.");
      }
      seen.add(body.next);
      this.assertTrustedNext(operation, body.next);
      // `next` is absolute and may name another host (api.tenovi.com rather than api2): follow it as given.
      request = { path: body.next };
    }
  }

  // The API key goes with every request, so a `next` link may only lead to the same host or another Tenovi host.
  private assertTrustedNext(operation: string, next: string): void {
    let url: URL;
    try {
      url = new URL(next);
    } catch {
      throw this.paginationError(operation, next, "Tenovi sent a next-page link Pulseboard cannot read.");
    }
    const base = new URL(this.http.baseUrl);
    const isHttp = url.protocol === "https:" || url.protocol === "http:";
    const isTrusted =
      url.hostname === base.hostname ||
      (isLoopback(url.hostname) && isLoopback(base.hostname)) ||
      (isTenoviHost(url.hostname) && isTenoviHost(base.hostname));
    if (!isHttp || !isTrusted) {
      throw this.paginationError(operation, next, `Tenovi's next-page link points to ${url.host}; Pulseboard will not send its API key there.`);
    }
  }

  private paginationError(operation: string, url: string, message: string): VendorHttpError {
    return new VendorHttpError({
      vendor: "tenovi",
      operation,
      method: "GET",
      url: this.http.redact(url),
      httpStatus: null,
      isRetryable: false,
      vendorMessage: null,
      message,
    });
  }

  // Every Tenovi call: paths end with "/" (without it Tenovi redirects and drops Authorization); errors get advice.
  private async call<T>(req: VendorRequest<T>): Promise<T>;
  private async call<T>(req: VendorRequest<T> & { acceptStatuses: number[] }): Promise<T | null>;
  private async call<T>(req: VendorRequest<T>): Promise<T | null> {
    if (!new URL(req.path, "http://path.check").pathname.endsWith("/")) {
      throw new AppError("CONFIGURATION", `Tenovi paths must end with "/" (${req.operation}).`);
    }
    try {
      return await this.http.request(req);
    } catch (error) {
      throw error instanceof VendorHttpError ? withTenoviAdvice(error) : error;
    }
  }
}

// Tenovi-specific next steps for staff, added to the base client's message.
function withTenoviAdvice(error: VendorHttpError): VendorHttpError {
  const advice = adviceFor(error);
  if (!advice) return error;
  return new VendorHttpError({
    vendor: error.vendor,
    operation: error.operation,
    method: error.method,
    url: error.url,
    httpStatus: error.httpStatus,
    isRetryable: error.isRetryable,
    vendorMessage: error.vendorMessage,
    message: `${error.message} ${advice}`,
    cause: error,
  });
}

function adviceFor(error: VendorHttpError): string | null {
  const status = error.httpStatus;
  if (status === null) return null;
  if (status >= 300 && status < 400) return "Every Tenovi path must end with a slash; Tenovi redirects otherwise and drops the API key.";
  if (status === 401 || status === 403) {
    return "The key is sent as `Authorization: Api-Key <key>` and only works with its own client domain (TENOVI_BASE_URL …/clients/<client_domain>).";
  }
  if (status === 404 && error.vendorMessage !== null && /domain/i.test(error.vendorMessage)) return "Check the client domain in TENOVI_BASE_URL.";
  if (status === 400 && error.operation === "activate device" && error.vendorMessage && /name/i.test(error.vendorMessage)) {
    return "The device name must match one of the account's Tenovi device types exactly (a hyphen, not the docs' en dash).";
  }
  return null;
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]" || hostname === "::1";
}

function isTenoviHost(hostname: string): boolean {
  return hostname === "tenovi.com" || hostname.endsWith(".tenovi.com");
}

let sharedClient: TenoviClient | null = null;

// The process's Tenovi client for the configured account (live or simulator), so the device-type cache is shared.
export function tenoviClient(): TenoviClient {
  if (sharedClient) return sharedClient;
  const config = tenoviConfig();
  sharedClient = new TenoviClient({ baseUrl: config.baseUrl, apiKey: config.apiKey });
  return sharedClient;
}
