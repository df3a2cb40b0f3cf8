"use client";

import { useState } from "react";

import { useSmartzOptions, useTenoviOptions } from "@/components/devices/device-options";
import { TenoviDeviceTypeField, ValidicDeviceTypeField } from "@/components/devices/device-type-fields";
import { ImeiField } from "@/components/devices/imei-field";
import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { assignDeviceAction } from "@/lib/actions/assign-device";
import { assignDeviceSchema, type AssignDeviceInput } from "@/lib/devices/schemas";

type Vendor = "tenovi" | "validic" | "smartz";

// "Assign on site": vendor → device type (from the vendor) → gateway ID, IMEI or pod. The vendor confirms before
// Pulseboard records anything; the button stays disabled while the request is on its way.
export function AssignDeviceDialog({ patientId }: { patientId: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const [vendor, setVendor] = useState<Vendor>("tenovi");
  const [deviceName, setDeviceName] = useState("");
  const [validicType, setValidicType] = useState<string>("");
  const [gatewayId, setGatewayId] = useState("");
  const [imei, setImei] = useState("");
  const [podId, setPodId] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const tenovi = useTenoviOptions(patientId, isOpen && vendor === "tenovi");
  const smartz = useSmartzOptions(isOpen && vendor === "smartz");
  const connectivity = tenovi.data?.deviceTypes.find((t) => t.name === deviceName)?.connectivity ?? "gateway";
  const assign = useDeviceAction(assignDeviceAction, () => {
    setIsOpen(false);
    reset();
  });

  function reset() {
    setDeviceName("");
    setValidicType("");
    setGatewayId("");
    setImei("");
    setPodId("");
    setErrors({});
  }

  function input(): AssignDeviceInput | Record<string, unknown> {
    if (vendor === "tenovi") return connectivity === "gateway" ? { vendor, connectivity, patientId, deviceName, gatewayId } : { vendor, connectivity, patientId, deviceName, imei };
    if (vendor === "validic") return { vendor, patientId, deviceType: validicType, imei };
    return { vendor, patientId, podId };
  }

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = assignDeviceSchema.safeParse(input());
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    assign.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (assign.isPending ? undefined : setIsOpen(open))}>
      <DialogTrigger asChild>
        <Button size="sm">Assign on site</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogTitle>Assign a device on site</DialogTitle>
        <DialogDescription>For a device handed to the patient here. The vendor is asked first; nothing is recorded unless it confirms.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <Field id="assign-vendor" label="Vendor">
            <Select
              value={vendor}
              onValueChange={(v) => {
                setVendor(v as Vendor);
                reset();
              }}
            >
              <SelectTrigger id="assign-vendor">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="tenovi">Tenovi</SelectItem>
                <SelectItem value="validic">Validic (Smart Meter)</SelectItem>
                <SelectItem value="smartz">Smartz</SelectItem>
              </SelectContent>
            </Select>
          </Field>

          {vendor === "tenovi" ? (
            <>
              <TenoviDeviceTypeField
                id="assign-device-type"
                value={deviceName}
                onChange={setDeviceName}
                error={errors.deviceName}
                deviceTypes={tenovi.data?.deviceTypes ?? []}
                isLoading={tenovi.isLoading}
                loadError={tenovi.error}
              />
              {deviceName && connectivity === "gateway" ? (
                <Field id="assign-gateway" label="Gateway ID" error={errors.gatewayId} hint="Printed on the Tenovi gateway (12 or 32 characters).">
                  <Input
                    id="assign-gateway"
                    autoComplete="off"
                    value={gatewayId}
                    onChange={(e) => setGatewayId(e.target.value)}
                    aria-invalid={Boolean(errors.gatewayId)}
                    aria-describedby={describedBy("assign-gateway", errors.gatewayId, true)}
                  />
                </Field>
              ) : null}
              {deviceName && connectivity === "cellular" ? <ImeiField id="assign-imei" value={imei} onChange={setImei} error={errors.imei} /> : null}
            </>
          ) : null}

          {vendor === "validic" ? (
            <>
              <ValidicDeviceTypeField id="assign-validic-type" value={validicType} onChange={setValidicType} error={errors.deviceType} />
              <ImeiField id="assign-imei" value={imei} onChange={setImei} error={errors.imei} />
            </>
          ) : null}

          {vendor === "smartz" ? (
            <Field id="assign-pod" label="Pod" error={errors.podId ?? (smartz.error ? smartz.error.message : undefined)}>
              <Select value={podId} onValueChange={setPodId} disabled={smartz.isLoading}>
                <SelectTrigger id="assign-pod" aria-invalid={Boolean(errors.podId)}>
                  <SelectValue placeholder={smartz.isLoading ? "Loading Smartz pods…" : "Choose a pod"} />
                </SelectTrigger>
                <SelectContent>
                  {(smartz.data?.pods ?? []).map((pod) => (
                    <SelectItem key={pod.id} value={pod.id} disabled={pod.linkedTo !== null}>
                      {pod.serialNumber}
                      {pod.status ? ` · ${pod.status}` : ""}
                      {pod.linkedTo ? ` · linked to ${pod.linkedTo}` : ""}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
          ) : null}

          {errors.form ? (
            <p role="alert" className="text-sm text-destructive">
              {errors.form}
            </p>
          ) : null}
          <Button type="submit" disabled={assign.isPending}>
            {assign.isPending ? "Asking the vendor…" : "Assign device"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
