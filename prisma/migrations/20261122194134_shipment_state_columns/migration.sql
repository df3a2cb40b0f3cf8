-- AlterTable
ALTER TABLE "Shipment" ADD COLUMN     "stateSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "statusKey" TEXT NOT NULL DEFAULT '';


-- The columns are kept by triggers, written by hand (Prisma's schema cannot express them; the drift test compares
-- columns, indexes, constraints and enums only). The exceptions worklist used to compute both for every shipment on
-- each view: lower(status) several times a row and a status-change lookup per shipment, ~70 ms of PostgreSQL's CPU
-- per statement with 27,600 shipments.

-- When a shipment entered its current status (compared case-insensitively): the latest status change to it, else
-- the shipped or delivered date, else when it was requested.
CREATE FUNCTION "shipment_state_since"(shipment_id text, status_key text, shipped_at timestamp, delivered_at timestamp, created_at timestamp)
RETURNS timestamp
LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT max(c."occurredAt") FROM "ShipmentStatusChange" c WHERE c."shipmentId" = shipment_id AND lower(c.status) = status_key),
    CASE WHEN status_key = 'delivered' THEN delivered_at END,
    CASE WHEN status_key IN ('shipped', 'dropshipped') THEN shipped_at END,
    created_at)
$$;

-- Any write of the columns the two depend on (or of the two themselves) sets them again, so no writer can leave
-- them stale or set them by hand.
CREATE FUNCTION "shipment_state_columns"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."statusKey" := lower(NEW.status);
  NEW."stateSince" := "shipment_state_since"(NEW.id, NEW."statusKey", NEW."shippedAt", NEW."deliveredAt", NEW."createdAt");
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Shipment_state_columns"
  BEFORE INSERT OR UPDATE OF status, "shippedAt", "deliveredAt", "createdAt", "statusKey", "stateSince" ON "Shipment"
  FOR EACH ROW EXECUTE FUNCTION "shipment_state_columns"();

-- A status change recorded after its shipment was written (as every writer does) can move the state's start: the
-- shipments it names are written again, once per statement however many changes it inserts. Changes are only ever
-- added (their rows go only with their shipment's), so inserts are the one event to follow.
CREATE FUNCTION "shipment_status_change_state"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Shipment" s
     SET "stateSince" = "shipment_state_since"(s.id, s."statusKey", s."shippedAt", s."deliveredAt", s."createdAt")
   WHERE s.id IN (SELECT DISTINCT "shipmentId" FROM inserted);
  RETURN NULL;
END;
$$;

CREATE TRIGGER "ShipmentStatusChange_state"
  AFTER INSERT ON "ShipmentStatusChange"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "shipment_status_change_state"();

-- Existing shipments (the row trigger sets "stateSince" too).
UPDATE "Shipment" SET "statusKey" = lower(status);
