"use client";

import { useState } from "react";

import { useDeviceAction } from "@/components/devices/use-device-action";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { describedBy, Field, fieldErrors } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { recordShipmentUpdateAction } from "@/lib/actions/record-shipment-update";
import { recordShipmentUpdateSchema } from "@/lib/devices/schemas";

const FIELDS = [
  { key: "carrier", label: "Carrier", type: "text" },
  { key: "trackingLink", label: "Tracking link", type: "url" },
  { key: "shippedAt", label: "Shipped on", type: "date" },
  { key: "deliveredAt", label: "Delivered on", type: "date" },
] as const;

type Form = Record<(typeof FIELDS)[number]["key"], string>;

// The clinic's own shipment: carrier, tracking link, shipped and delivered dates (for a Tenovi device the tracking
// link is sent to Tenovi first, which then marks it shipped).
export function RecordShipmentDialog({ shipmentId, deviceLabel, isOpen, onClose }: { shipmentId: string; deviceLabel: string; isOpen: boolean; onClose: () => void }) {
  const [form, setForm] = useState<Form>({ carrier: "", trackingLink: "", shippedAt: "", deliveredAt: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const record = useDeviceAction(recordShipmentUpdateAction, onClose);

  function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = recordShipmentUpdateSchema.safeParse({ shipmentId, ...form });
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    record.mutate(parsed.data);
  }

  return (
    <Dialog open={isOpen} onOpenChange={(open) => (!open && !record.isPending ? onClose() : undefined)}>
      <DialogContent>
        <DialogTitle>Record shipment of {deviceLabel}</DialogTitle>
        <DialogDescription>Fill in what you know; you can come back when it is delivered.</DialogDescription>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          {FIELDS.map((field) => {
            const id = `shipment-${field.key}`;
            const error = errors[field.key];
            return (
              <Field key={field.key} id={id} label={field.label} error={error}>
                <Input
                  id={id}
                  type={field.type}
                  value={form[field.key]}
                  onChange={(e) => setForm({ ...form, [field.key]: e.target.value })}
                  aria-invalid={Boolean(error)}
                  aria-describedby={describedBy(id, error)}
                />
              </Field>
            );
          })}
          {errors.form ? (
            <p role="alert" className="text-sm text-destructive">
              {errors.form}
            </p>
          ) : null}
          <Button type="submit" disabled={record.isPending}>
            {record.isPending ? "Saving…" : "Save shipment"}
          </Button>
        </form>
      </DialogContent>
    </Dialog>
  );
}
