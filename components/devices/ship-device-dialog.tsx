"use client";

import { useState } from "react";

import { AddressFields, type AddressForm } from "@/components/devices/address-fields";
import { useTenoviOptions } from "@/components/devices/device-options";
import { TenoviDeviceTypeField, ValidicDeviceTypeField } from "@/components/devices/device-type-fields";
import { ImeiField } from "@/components/devices/imei-field";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { shipDeviceAction } from "@/lib/actions/ship-device";
import { shipDeviceSchema, type TenoviShipMode } from "@/lib/devices/schemas";

// The patient facts the shipping form starts from.
export type ShipPatient = {
  id: string;
  name: string;
  address: AddressForm;
  physician: string | null;
  hasSmsConsent: boolean;
};

const MODE_LABELS: Record<TenoviShipMode, string> = {
  "tenovi-ships": "Tenovi ships the device (drop-ship)",
  "clinic-ships": "The clinic ships it (we fulfil)",
  "gateway-only": "Tenovi ships the gateway only",
  "additional-device": "Additional device (gateway already at home)",
};

// "Ship": Tenovi drop-ship, clinic-fulfilled, gateway only, or an additional device for the gateway at home; Smart
// Meter devices are shipped by the clinic. The address starts as the patient's and is checked before sending.
export function ShipDeviceDialog({ patient }: { patient: ShipPatient }) {
  const [isOpen, setIsOpen] = useState(false);
  const [vendor, setVendor] = useState<"tenovi" | "validic">("tenovi");
  const [mode, setMode] = useState<TenoviShipMode>("tenovi-ships");
  const [deviceName, setDeviceName] = useState("");
  const [existingGatewayId, setExistingGatewayId] = useState("");
  const [isClinicShipping, setIsClinicShipping] = useState(false);
  const [validicType, setValidicType] = useState("");
  const [imei, setImei] = useState("");
  const [address, setAddress] = useState<AddressForm>(patient.address);
  const [notifyEmails, setNotifyEmails] = useState("");
  const [requireSignature, setRequireSignature] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const tenovi = useTenoviOptions(patient.id, isOpen && vendor === "tenovi");
  const needsGatewayType = mode === "gateway-only" || mode === "additional-device";
  const deviceTypes = (tenovi.data?.deviceTypes ?? []).filter((t) => !needsGatewayType || t.connectivity === "gateway");
  const ship = useDeviceAction(shipDeviceAction, () => setIsOpen(false));

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const shipping = { address, notifyEmails, requireSignature };
    const input =
      vendor === "tenovi"
        ? { vendor, patientId: patient.id, mode, deviceName, existingGatewayId: mode === "additional-device" ? existingGatewayId || undefined : undefined, clinicShips: isClinicShipping, ...shipping }
        : { vendor, patientId: patient.id, deviceType: validicType, imei, ...shipping };
    const parsed = shipDeviceSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    ship.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (ship.isPending ? undefined : setIsOpen(open))}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          Ship device
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90vh] max-w-2xl overflow-y-auto">
        <DialogTitle>Ship a device to {patient.name}</DialogTitle>
        <DialogDescription>
          Physician forwarded with the request: {patient.physician ?? "none on file"}. Shipping texts to the patient: {patient.hasSmsConsent ? "on (consent recorded)" : "off (no SMS consent recorded)"}.
        </DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <div className="grid grid-cols-2 gap-3">
            <Field id="ship-vendor" label="Vendor">
              <Select value={vendor} onValueChange={(v) => setVendor(v as "tenovi" | "validic")}>
                <SelectTrigger id="ship-vendor">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="tenovi">Tenovi</SelectItem>
                  <SelectItem value="validic">Validic (Smart Meter, clinic ships)</SelectItem>
                </SelectContent>
              </Select>
            </Field>
            {vendor === "tenovi" ? (
              <Field id="ship-mode" label="Who ships">
                <Select value={mode} onValueChange={(v) => setMode(v as TenoviShipMode)}>
                  <SelectTrigger id="ship-mode">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {(Object.keys(MODE_LABELS) as TenoviShipMode[]).map((m) => (
                      <SelectItem key={m} value={m}>
                        {MODE_LABELS[m]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </Field>
            ) : null}
          </div>

          {vendor === "tenovi" ? (
            <>
              <TenoviDeviceTypeField
                id="ship-device-type"
                value={deviceName}
                onChange={setDeviceName}
                error={errors.deviceName}
                deviceTypes={deviceTypes}
                isLoading={tenovi.isLoading}
                loadError={tenovi.error}
              />
              {mode === "additional-device" ? (
                <>
                  <Field id="ship-gateway" label="Gateway already at home" error={errors.existingGatewayId} hint="Tenovi will not send a second gateway.">
                    <Select value={existingGatewayId} onValueChange={setExistingGatewayId}>
                      <SelectTrigger id="ship-gateway" aria-invalid={Boolean(errors.existingGatewayId)} aria-describedby={describedBy("ship-gateway", errors.existingGatewayId, true)}>
                        <SelectValue placeholder={(tenovi.data?.gateways.length ?? 0) === 0 ? "No gateway recorded for this patient" : "Choose the gateway"} />
                      </SelectTrigger>
                      <SelectContent>
                        {(tenovi.data?.gateways ?? []).map((g) => (
                          <SelectItem key={g} value={g}>
                            {g}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  </Field>
                  <label className="flex items-center gap-2 text-sm">
                    <input type="checkbox" checked={isClinicShipping} onChange={(e) => setIsClinicShipping(e.target.checked)} className="size-4" /> The clinic ships this device itself
                  </label>
                </>
              ) : null}
            </>
          ) : (
            <>
              <ValidicDeviceTypeField id="ship-validic-type" value={validicType} onChange={setValidicType} error={errors.deviceType} />
              <ImeiField id="ship-imei" value={imei} onChange={setImei} error={errors.imei} />
            </>
          )}

          <AddressFields idPrefix="ship-address" value={address} onChange={setAddress} errors={errors} />
          <Field id="ship-notify" label="Email shipping updates to (optional)" error={errors.notifyEmails} hint="Separate addresses with commas.">
            <Input
              id="ship-notify"
              type="text"
              autoComplete="off"
              value={notifyEmails}
              onChange={(e) => setNotifyEmails(e.target.value)}
              aria-invalid={Boolean(errors.notifyEmails)}
              aria-describedby={describedBy("ship-notify", errors.notifyEmails, true)}
            />
          </Field>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={requireSignature} onChange={(e) => setRequireSignature(e.target.checked)} className="size-4" /> Require a signature on delivery
          </label>
          <Button type="submit" disabled={ship.isPending}>
            {ship.isPending ? "Sending the request…" : "Request shipment"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
