// Samples from vendor-docs/validic-*.txt, character for character. The published pages indent with no-break spaces
// (written here as \u00a0), which JSON.parse rejects: parse them through parseDocSample.

// Provision User in Validic Inform: Sample Request body (the doc labels it form-encoded).
export const PROVISION_REQUEST_BODY = `{\u00a0\u00a0

\u00a0\u00a0\u00a0"uid":"277040620sol3"

}`;

// Provision User in Validic Inform: Sample Response.
export const PROVISION_RESPONSE = `{

\u00a0\u00a0\u00a0\u00a0"id": "59b0664cf758800001e13ea9",

\u00a0\u00a0\u00a0\u00a0"uid": "277040620sol3",

\u00a0\u00a0\u00a0\u00a0"marketplace": {

\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"token": "ee889ef9d7fb7a9644c97ef9d69ZSAMPLEa0be23352bdee46a775c066ef0f890",

\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"url": "https://syncmydevice.com?token=ee889ef9d7fb7a9644c97ef9d69ZSAMPLEa0be23352bdee46a775c066ef0f890"

\u00a0\u00a0\u00a0\u00a0},

\u00a0\u00a0\u00a0\u00a0"mobile": {

\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"token": "7c001f84255SAMPLE8c168ba563035"

\u00a0\u00a0\u00a0\u00a0},

\u00a0\u00a0\u00a0\u00a0"sources": [],

\u00a0\u00a0\u00a0\u00a0"created_at": "2023-07-06T21:19:08Z",

\u00a0\u00a0\u00a0\u00a0"updated_at": "2023-07-06T21:19:08Z"

}`;

// Establish User Device Connection: Example Request Body.
export const CONNECT_REQUEST_BODY = `{

\u00a0\u00a0\u00a0"token": "02f0c59b63310f7cec951a5027d1e8SAMPLEec1dfd5f7e1f6927",

\u00a0\u00a0\u00a0"device_id": "123453782873223",

\u00a0\u00a0\u00a0"device_type": "blood_glucose"

}`;

// Establish User Device Connection: Sample Response (HTTP 202).
export const CONNECT_RESPONSE = `{
"credentials": {
"device_id": "123453782873223",
"device_type": "blood_glucose",
"device_name": null
},
"type": "smart_meter",
"created_at": "2023-10-01T15:53:41Z"
}`;

// Disconnect a single device: Sample Response.
export const DISCONNECT_RESPONSE = `{
"credentials": {
"device_id": "123453782873223",
"device_type": "blood_glucose",
"device_name": null
},
"type": "smart_meter",
"created_at": "2023-10-01T15:53:41Z",
"deleted_at": "2023-10-10T17:47:15Z",
"deleted_reason": "User disconnected from Direct Endpoint"
}`;

// Disconnect all devices: Sample Response.
export const DISCONNECT_ALL_RESPONSE = `{
"meta": {
"total": 2
},
"connections": [
{
"credentials": {
"device_id": "111111111111111",
"device_type": "blood_pressure",
"device_name": ""
},
"type": "smart_meter",
"created_at": "2023-10-01T15:46:15Z",
"deleted_at": "2023-10-10T17:49:21Z",
"deleted_reason": "User disconnected from Direct Endpoint"
},
{
"credentials": {
"device_id": "222222222222222",
"device_type": "weight_scale",
"device_name": ""
},
"type": "smart_meter",
"created_at": "2023-10-01T15:46:26Z",
"deleted_at": "2023-10-10T17:49:21Z",
"deleted_reason": "User disconnected from Direct Endpoint"
}
]
}`;

// Smart Meter Data: Sample Data (captioned a weight measurement, but it is a pulse-oximeter record).
export const SMART_METER_RECORD = `{ "checksum": "b0a2547d56SAMPLE5d57437a90b", "created_at": "2023-10-10T17:20:04.858Z", "deleted_at": null, "end_time": "2023-10-10T15:58:56Z", "id": "3de314260ccSAMPLE69c5bae6547f1", "log_id": "500000046950878", "metrics": [ { "type": "spo2", "origin": "device", "unit": "percent", "value": 99.0 }, { "type": "pulse", "origin": "device", "unit": "bpm", "value": 82 } ], "offset_origin": "source", "source": { "type": "smart_meter", "device": { "id": "111111111111111", "model": "smc-ox", "manufacturer": "smart meter", "diagnostics": [] } }, "start_time": "2023-10-10T15:58:56Z", "tags": [], "type": "measurement", "user": { "organization_id": "5ef0ef69SAMPLEba562", "user_id": "652572SAMPLEe18b8b8", "uid": "123456" }, "user_notes": [], "utc_offset": -14400, "version": "1.0" }`;

// Inform Push Service: Example Payload. As published it lacks the final closing brace.
export const PUSH_EXAMPLE_PAYLOAD = `{
   "id":"d1ffd05a-4a03-421c-8a35-1fa898e9cc24",
   "data":[
      {
         "category":"other",
         "checksum":"18d34a6d347bfb5b23c9baace1f0fa7e",
         "created_at":"2019-07-16T17:27:09.936Z",
         "deleted_at":null,
         "end_time":"2019-07-09T06:59:59Z",
         "id":"860926cc4e432db37bdf62200363014e",
         "log_id":"2019-07-08",
         "metrics":[
            {
               "type":"energy_consumed",
               "origin":"unknown",
               "unit":"kcal",
               "value":0.0
            },
            {
               "type":"dietary_fiber",
               "origin":"unknown",
               "unit":"g",
               "value":0.0
            },
            {
               "type":"water",
               "origin":"unknown",
               "unit":"mL",
               "value":0.0
            },
            {
               "type":"carbohydrate",
               "origin":"unknown",
               "unit":"g",
               "value":0.0
            },
            {
               "type":"fat",
               "origin":"unknown",
               "unit":"g",
               "value":0.0
            },
            {
               "type":"protein",
               "origin":"unknown",
               "unit":"g",
               "value":0.0
            },
            {
               "type":"sodium",
               "origin":"unknown",
               "unit":"mg",
               "value":0.0
            }
         ],
         "name":"Unknown",
         "offset_origin":"profile",
         "segments":[

         ],
         "source":{
            "type":"fitbit",
            "device":null
         },
         "start_time":"2019-07-08T07:00:00Z",
         "tags":[

         ],
         "type":"nutrition",
         "user":{
            "organization_id":"5c45d9bc21419700018774a5",
            "user_id":"5d1cebd52141970001a8eca4",
            "uid":"marketplace-test"
         },
         "user_notes":[

         ],
         "utc_offset":-25200,
         "version":"1.0"
      }
   ],
   "meta":{
      "count":1
   }`;

// Parses a vendor-docs sample: no-break spaces become spaces, as a reader copying the page would get.
export function parseDocSample(text: string): unknown {
  return JSON.parse(text.replace(/\u00a0/g, " "));
}
