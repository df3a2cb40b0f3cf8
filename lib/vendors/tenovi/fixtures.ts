// Sample Tenovi payloads built from the fields vendor-docs and the vendor notes describe, including the quirks they warn
// about (string sensor codes, values as strings, null value_2, api.tenovi.com in `next`, a "status " key with a stray
// space, a malformed tracking link). Used by the schema tests and by other tests that need realistic Tenovi bodies.

const DEVICE_ID = "2f6a1d0e-7c4b-4a59-9d3e-8b1c2a4f6e01";
const PATIENT_ID = "pb-patient-000123";

// An on-site gateway device that has measured (Connected), with the nested patient.
export const HWI_DEVICE_CONNECTED = {
  id: DEVICE_ID,
  status: "Connected",
  patient_id: PATIENT_ID,
  patient_phone_number: "+15555550123",
  patient: {
    external_id: PATIENT_ID,
    name: "Test Patient",
    phone_number: "+15555550123",
    email: "patient@example.com",
    physician: "Dr. Example",
    clinic_name: "Example Clinic",
    care_manager: "Care Manager",
    sms_opt_in: false,
  },
  device: {
    id: 48213,
    created: "2026-04-02T15:04:05.123456Z",
    name: "Tenovi BPM - L",
    sensor_code: "10",
    hardware_uuid: "A1B2C3D4E5F6",
    shared_hardware_uuid: false,
    meta_data: null,
    fulfillment_request: null,
  },
  connected_on: "2026-04-02T16:00:00.000000Z",
};

// A Tenovi drop-ship still waiting, with the ASSUMPTION fields of a returned fulfillment request.
export const HWI_DEVICE_DROPSHIP_REQUESTED = {
  id: "5b0c9e2a-1f3d-4c6b-8a7e-0d9f1e2c3b4a",
  status: "Dropship Requested",
  patient_id: PATIENT_ID,
  patient_phone_number: null,
  patient: { external_id: PATIENT_ID, name: "Test Patient", sms_opt_in: false },
  device: {
    id: "9f1b",
    created: "2026-04-03T09:30:00.000001Z",
    name: "Tenovi Scale",
    sensor_code: "13",
    hardware_uuid: null,
    shared_hardware_uuid: false,
    meta_data: null,
    fulfillment_request: {
      shipping_name: "Test Patient",
      shipping_address: "1 Main St\nApt 2",
      shipping_city: "Springfield",
      shipping_state: "IL",
      shipping_zip_code: "62701",
      shipped_on_behalf_of: "Example Clinic",
      shipping_tracking_link: null,
      require_signature: false,
      client_notes: null,
      notify_emails: "coordinator@example.com,nurse@example.com",
      client_will_fulfill: false,
      flagged_by_client: null,
      ship_gateway_only: false,
      created: "2026-04-03T09:30:00.000001Z",
      shipping_status: "DR",
      shipped_on: null,
      delivered_on: null,
      requested_by: 17,
      fulfilled: false,
      invalid_address: false,
      duplicate_device_at_address: false,
    },
  },
};

// An on-site activation with a gateway ID Tenovi does not know: a 201 that staff must fix.
export const HWI_DEVICE_UNKNOWN_GATEWAY = {
  id: "c3d2e1f0-aaaa-4bbb-8ccc-111122223333",
  status: "Unknown Gateway ID",
  patient_id: null,
  patient_phone_number: null,
  patient: null,
  device: {
    id: 1,
    created: "2026-04-04T10:00:00.000000Z",
    name: "Tenovi Glucometer",
    sensor_code: "12",
    hardware_uuid: "FFFFFFFFFFFF",
    shared_hardware_uuid: false,
    meta_data: null,
    fulfillment_request: null,
  },
};

// A status from a newer doc version and a numeric sensor code: both must be kept, not rejected.
export const HWI_DEVICE_FUTURE_STATUS = {
  ...HWI_DEVICE_CONNECTED,
  id: "d4e5f6a7-0000-4000-8000-000000000004",
  status: "Awaiting Pickup ",
  device: { ...HWI_DEVICE_CONNECTED.device, sensor_code: 10 },
};

// `?page=1` on hwi-devices: the documented `next` names api.tenovi.com, not api2.
export const HWI_DEVICES_PAGE = {
  count: 3,
  next: "https://api.tenovi.com/clients/example/hwi/hwi-devices/?page=2",
  previous: null,
  results: [HWI_DEVICE_CONNECTED, HWI_DEVICE_DROPSHIP_REQUESTED],
};

// Without `page`: a bare array.
export const HWI_DEVICES_BARE = [HWI_DEVICE_CONNECTED, HWI_DEVICE_UNKNOWN_GATEWAY];

// One measurement per POST; values as strings, value_2 null.
export const MEASUREMENT_WEBHOOK_SINGLE = {
  metric: "weight",
  device_name: "Tenovi Scale",
  hwi_device_id: DEVICE_ID,
  patient_id: PATIENT_ID,
  hardware_uuid: "A1B2C3D4E5F6",
  sensor_code: "13",
  value_1: "182.4",
  value_2: null,
  created: "2026-04-05T13:00:21.481516Z",
  timestamp: "2026-04-05T13:00:00Z",
  timezone_offset: -300,
  estimated_timestamp: false,
  filter_params: { measurement_index: 7 },
};

// post_as_array: a BPM's coincident blood_pressure and pulse, paired by timestamp and measurement_index.
export const MEASUREMENT_WEBHOOK_ARRAY = [
  {
    metric: "blood_pressure",
    device_name: "Tenovi BPM - L",
    hwi_device_id: DEVICE_ID,
    patient_id: PATIENT_ID,
    hardware_uuid: "A1B2C3D4E5F6",
    sensor_code: "10",
    value_1: 128,
    value_2: "84",
    created: "2026-04-05T08:15:12.000000Z",
    timestamp: "2026-04-05T08:15:00Z",
    timezone_offset: -300,
    estimated_timestamp: false,
    filter_params: { measurement_index: 12 },
  },
  {
    metric: "pulse",
    device_name: "Tenovi BPM - L",
    hwi_device_id: DEVICE_ID,
    patient_id: PATIENT_ID,
    hardware_uuid: "A1B2C3D4E5F6",
    sensor_code: "10",
    value_1: "71",
    value_2: null,
    created: "2026-04-05T08:15:12.000000Z",
    timestamp: "2026-04-05T08:15:00Z",
    timezone_offset: -300,
    estimated_timestamp: false,
    filter_params: { measurement_index: 12 },
  },
];

// The Tenovi web app's test payload uses a placeholder device: keep it, flagged as from an unknown device.
export const MEASUREMENT_TEST_PAYLOAD = {
  metric: "spO2",
  device_name: "Tenovi Pulse Ox",
  hwi_device_id: "12345678-abcd-1234-abcd-1234567890ab",
  patient_id: "test-patient",
  hardware_uuid: "0123456789AB",
  sensor_code: "11",
  value_1: 97,
  value_2: 1.2,
  created: "2026-04-05T12:00:00.000000Z",
  timestamp: "2026-04-05T12:00:00Z",
  timezone_offset: 0,
  estimated_timestamp: true,
  filter_params: { measurement_index: 0 },
};

// The fulfillment webhook as the doc example prints it: a "status " key with a trailing space and a malformed link.
export const FULFILLMENT_WEBHOOK_DOC_EXAMPLE = {
  hwi_device_id: "5b0c9e2a-1f3d-4c6b-8a7e-0d9f1e2c3b4a",
  patient_id: PATIENT_ID,
  hardware_uuid: "0C4DE9A1B7F2",
  sensor_code: "13",
  device_name: "Tenovi Scale",
  "status ": "Dropshipped",
  tracking_link: "https//tools.usps.com/go/TrackConfirmAction?tLabels=9400",
};

// A replacement shipped: status "Replaced", the NEW gateway in hardware_uuid, the OLD one in device_id.
export const REPLACEMENT_WEBHOOK = {
  hwi_device_id: DEVICE_ID,
  patient_id: PATIENT_ID,
  hardware_uuid: "B7F20C4DE9A1",
  device_id: "A1B2C3D4E5F6",
  sensor_code: "10",
  device_name: "Tenovi BPM - L",
  status: "Replaced",
  tracking_link: "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111111111111111111",
};

// An hwi-patients record.
export const HWI_PATIENT = {
  external_id: PATIENT_ID,
  name: "Test Patient",
  address: "1 Main St\nApt 2",
  city: "Springfield",
  state: "IL",
  zip_code: "62701",
  phone_number: "+15555550123",
  email: "not-validated-by-tenovi",
  physician: "Dr. Example",
  clinic_name: "Example Clinic",
  care_manager: null,
  sms_opt_in: true,
  confirm_address: false,
  address_status: "Verified",
  address_verified_by: null,
};

// hwi-gateways items (a 32-hex gateway ID occurs too).
export const HWI_GATEWAYS = [
  { gateway_uuid: "A1B2C3D4E5F6", last_signal_strength: -61, last_measurement: "2026-04-05T08:15:00Z", shipped_on: null, assigned_on: "2026-04-02T15:04:05Z" },
  { gateway_uuid: "5E2A6C0D9B8F4A1E3C7D2B6F0A9E8C1D", last_signal_strength: null, last_measurement: null, shipped_on: "2026-04-03T12:00:00Z", assigned_on: null },
];

// hwi-device-types (ASSUMPTION: only `name` is known for sure).
export const HWI_DEVICE_TYPES = [
  { id: 1, name: "Tenovi BPM - L", sensor_code: "10" },
  { id: 2, name: "Tenovi Cellular BPM - L", sensor_code: null },
  { name: "Tenovi Watch", sensor_code: 15 },
];

// Django REST Framework error bodies.
export const DRF_ERRORS = {
  unauthorized: { detail: "Authentication credentials were not provided." },
  notFound: { detail: "Not found." },
  fieldError: { device: { name: ["Object with name=Tenovi BPM – L does not exist."] } },
  flatFieldError: { external_id: ["hwi patient with this external id already exists."] },
};
