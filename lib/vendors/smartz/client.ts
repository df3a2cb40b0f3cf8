import type { z } from "zod";

import { AppError } from "@/lib/errors";
import { VendorHttpClient, VendorHttpError, type VendorClientOptions } from "@/lib/vendors/base-client";
import { smartzConfig, type SmartzConfig } from "@/lib/vendors/config";
import {
  DEFAULT_SMARTZ_TOKEN_REQUEST,
  patientPath,
  SMARTZ_PATHS,
  SMARTZ_SUBSCRIPTION_KEY_HEADER,
  tokenRequestFields,
  type SmartzTokenRequestFormat,
} from "@/lib/vendors/smartz/protocol";
import {
  smartzAlertSchema,
  smartzDeviceSchema,
  smartzEventSchema,
  smartzListSchema,
  smartzManufacturerSchema,
  smartzOrganisationSchema,
  smartzPatientSchema,
  smartzPatientStatusSchema,
  smartzProductSchema,
  smartzTokenResponseSchema,
  type SmartzAlert,
  type SmartzDevice,
  type SmartzEvent,
  type SmartzManufacturer,
  type SmartzOrganisation,
  type SmartzPage,
  type SmartzPatient,
  type SmartzPatientStatus,
  type SmartzProduct,
} from "@/lib/vendors/smartz/schemas";

export type SmartzClientOptions = {
  baseUrl: string;
  appId: string;
  appKey: string;
  subscriptionKey: string;
  tokenRequest?: SmartzTokenRequestFormat;
  // Renew this long before the token expires (vendor-notes §3: 60 s).
  renewBeforeExpirySeconds?: number;
  // Upper bound on pages followed by one list call, so a cursor that never ends cannot loop forever.
  maxPages?: number;
  // The client's clock, for tests of renewal timing.
  now?: () => number;
  http?: Pick<VendorClientOptions, "timeoutMs" | "maxAttempts" | "baseDelayMs" | "maxDelayMs" | "fetch">;
};

type CachedToken = { value: string; expiresAt: number; renewAt: number };
type Query = Record<string, string | number | undefined>;

// How many recent tokens stay on the redaction list after renewal (a retried call may still carry the old one).
const REMEMBERED_TOKENS = 3;

// Read-only Smartz Connect client: OAuth2 client credentials with one renewal in flight, x-sub-key on every call.
export class SmartzClient {
  private readonly api: VendorHttpClient;
  private readonly tokenApi: VendorHttpClient;
  private readonly tokenRequest: SmartzTokenRequestFormat;
  private readonly renewBeforeMs: number;
  private readonly maxPages: number;
  private readonly now: () => number;
  private token: CachedToken | null = null;
  private renewal: Promise<string> | null = null;
  private readonly issuedTokens: string[] = [];

  constructor(private readonly options: SmartzClientOptions) {
    this.tokenRequest = options.tokenRequest ?? DEFAULT_SMARTZ_TOKEN_REQUEST;
    this.renewBeforeMs = (options.renewBeforeExpirySeconds ?? 60) * 1000;
    this.maxPages = options.maxPages ?? 50;
    this.now = options.now ?? Date.now;
    const shared = {
      vendor: "smartz" as const,
      baseUrl: options.baseUrl,
      // Published: the subscription key on every request, the token call included (trap 18). Never APIM's default header.
      headers: () => ({ [SMARTZ_SUBSCRIPTION_KEY_HEADER]: options.subscriptionKey }),
      secrets: () => [options.appKey, options.subscriptionKey, ...this.issuedTokens],
      ...options.http,
    };
    // Two clients: the token call must not carry (or wait for) a bearer token.
    this.api = new VendorHttpClient(shared);
    this.tokenApi = new VendorHttpClient(shared);
  }

  // GET /v1/organisation
  getOrganisation(): Promise<SmartzOrganisation> {
    return this.get("get organisation", SMARTZ_PATHS.organisation, smartzOrganisationSchema);
  }

  // GET /v1/manufacturers
  listManufacturers(): Promise<SmartzManufacturer[]> {
    return this.listAll("list manufacturers", SMARTZ_PATHS.manufacturers, smartzManufacturerSchema);
  }

  // GET /v1/products?manufacturerId=
  listProducts(filter: { manufacturerId?: string } = {}): Promise<SmartzProduct[]> {
    return this.listAll("list products", SMARTZ_PATHS.products, smartzProductSchema, { manufacturerId: filter.manufacturerId });
  }

  // GET /v1/devices?type=pod|node
  listDevices(filter: { type?: "pod" | "node" } = {}): Promise<SmartzDevice[]> {
    return this.listAll("list devices", SMARTZ_PATHS.devices, smartzDeviceSchema, { type: filter.type });
  }

  // GET /v1/patients
  listPatients(): Promise<SmartzPatient[]> {
    return this.listAll("list patients", SMARTZ_PATHS.patients, smartzPatientSchema);
  }

  // GET /v1/patients/{patientId}/status
  getPatientStatus(patientId: string): Promise<SmartzPatientStatus> {
    return this.get("get patient status", patientPath(SMARTZ_PATHS.patientStatus, patientId), smartzPatientStatusSchema);
  }

  // GET /v1/patients/{patientId}/events?since=<cursor> — one page; store nextCursor after saving the events, then ask again while hasMore.
  listPatientEvents(patientId: string, options: { since?: string | null; limit?: number } = {}): Promise<SmartzPage<SmartzEvent>> {
    const query = { since: options.since ?? undefined, limit: options.limit };
    return this.get("list patient events", patientPath(SMARTZ_PATHS.patientEvents, patientId), smartzListSchema(smartzEventSchema), query);
  }

  // GET /v1/alerts?status=
  listAlerts(filter: { status?: "open" | "resolved" } = {}): Promise<SmartzAlert[]> {
    return this.listAll("list alerts", SMARTZ_PATHS.alerts, smartzAlertSchema, { status: filter.status });
  }

  // ASSUMPTION: pages are requested with `cursor=<nextCursor>`. Follows them to the last page; a repeated cursor or an
  // empty page also ends the list.
  private async listAll<S extends z.ZodType>(operation: string, path: string, item: S, query: Query = {}): Promise<z.output<S>[]> {
    const schema = smartzListSchema(item);
    const items: z.output<S>[] = [];
    let cursor: string | undefined;
    for (let page = 1; page <= this.maxPages; page++) {
      const result = await this.get(operation, path, schema, { ...query, cursor });
      items.push(...result.items);
      const next = result.nextCursor;
      if (!result.hasMore || next === null || next === cursor || result.items.length === 0) return items;
      cursor = next;
    }
    throw new AppError("VENDOR_UNAVAILABLE", `Smartz returned more than ${this.maxPages} pages (${operation}); the list was not read completely.`);
  }

  // One read-only call with the current token; on a 401, renew once and retry once.
  private async get<T>(operation: string, path: string, response: z.ZodType<T>, query: Query = {}): Promise<T> {
    const send = (token: string) =>
      this.api.request({ operation, method: "GET", path, query, response, idempotent: true, headers: { Authorization: `Bearer ${token}` } });
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof VendorHttpError) || error.httpStatus !== 401) throw error;
      // Smartz may revoke or expire a token before we expect; concurrent 401s for the same token share one renewal.
      this.discardToken(token);
      return send(await this.accessToken());
    }
  }

  // The cached token, or the one renewal in flight, or a new renewal.
  private async accessToken(): Promise<string> {
    const cached = this.token;
    if (cached && this.now() < cached.renewAt) return cached.value;
    this.renewal ??= this.requestToken().finally(() => {
      this.renewal = null;
    });
    try {
      return await this.renewal;
    } catch (error) {
      // An early renewal that fails is not fatal while the current token is still valid.
      if (cached && cached === this.token && this.now() < cached.expiresAt) return cached.value;
      throw error;
    }
  }

  private discardToken(token: string) {
    if (this.token?.value === token) this.token = null;
  }

  // POST /v1/token
  private async requestToken(): Promise<string> {
    const fields = tokenRequestFields(this.tokenRequest, this.options.appId, this.options.appKey);
    const requestedAt = this.now();
    const body = this.tokenRequest.encoding === "form" ? { form: fields } : { json: fields };
    const response = await this.tokenApi.request({
      operation: "request access token",
      method: "POST",
      path: SMARTZ_PATHS.token,
      ...body,
      response: smartzTokenResponseSchema,
      // Asking for a token twice is harmless (STYLE §14.2).
      idempotent: true,
    });
    const lifetimeMs = response.expires_in * 1000;
    // Never renew earlier than halfway: a token shorter than twice the margin would otherwise be renewed on every call.
    const marginMs = Math.min(this.renewBeforeMs, lifetimeMs / 2);
    this.rememberToken(response.access_token);
    this.token = { value: response.access_token, expiresAt: requestedAt + lifetimeMs, renewAt: requestedAt + lifetimeMs - marginMs };
    return response.access_token;
  }

  private rememberToken(token: string) {
    this.issuedTokens.push(token);
    if (this.issuedTokens.length > REMEMBERED_TOKENS) this.issuedTokens.shift();
  }
}

// A Smartz client for the configured account, or for the simulator when no App Key is set.
export function createSmartzClient(config: SmartzConfig = smartzConfig(), options: Partial<SmartzClientOptions> = {}): SmartzClient {
  return new SmartzClient({
    baseUrl: config.baseUrl,
    appId: config.appId,
    appKey: config.appKey,
    subscriptionKey: config.subscriptionKey,
    ...options,
  });
}
