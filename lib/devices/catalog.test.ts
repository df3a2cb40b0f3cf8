import { describe, expect, it } from "vitest";

import { deviceTypeName } from "@/lib/devices/catalog";
import { deviceLabel } from "@/lib/devices/disconnect";

describe("device type names, as staff read them", () => {
  it.each([
    ["validic", "pulse_oximeter", "Pulse oximeter"],
    ["validic", "blood_glucose", "Blood glucose meter"],
    ["smartz", "pod", "Smartz pod"],
    ["tenovi", "Tenovi BPM - L", "Tenovi BPM - L"],
    // A code Pulseboard does not know, or one that names an Object property, is shown as it is.
    ["validic", "thermometer", "thermometer"],
    ["validic", "constructor", "constructor"],
    ["smartz", "toString", "toString"],
  ])("%s %s → %s", (vendor, vendorType, name) => {
    expect(deviceTypeName({ vendor, vendorType })).toBe(name);
  });

  it("labels a device with its type's name, its vendor when the name does not say it, and its id", () => {
    const device = { imei: null, vendorDeviceId: null, gateway: null };
    expect(deviceLabel({ ...device, vendor: "validic", vendorType: "weight_scale", imei: "350000000000001" })).toBe("Weight scale (Validic) · 350000000000001");
    expect(deviceLabel({ ...device, vendor: "smartz", vendorType: "pod", vendorDeviceId: "pod-0201" })).toBe("Smartz pod · pod-0201");
    expect(deviceLabel({ ...device, vendor: "tenovi", vendorType: "Tenovi BPM - L", gateway: { gatewayUuid: "gw-1" } })).toBe("Tenovi BPM - L · gw-1");
  });
});
