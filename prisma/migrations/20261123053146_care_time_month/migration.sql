-- DropIndex
DROP INDEX "CareTimeEntry_serviceDate_idx";

-- CreateTable
CREATE TABLE "CareTimeMonth" (
    "patientId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "minutes" INTEGER NOT NULL DEFAULT 0,
    "liveEntries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CareTimeMonth_pkey" PRIMARY KEY ("patientId","month")
);

-- CreateIndex
CREATE INDEX "CareTimeMonth_month_idx" ON "CareTimeMonth"("month");

-- AddForeignKey
ALTER TABLE "CareTimeMonth" ADD CONSTRAINT "CareTimeMonth_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Kept by a trigger, written by hand (Prisma's schema cannot express it; the drift test compares columns, indexes,
-- constraints and enums only). The patient list's care-time filter and sort summed the current month of entries for
-- every patient on each view (~96 ms of PostgreSQL's CPU with 20,000 patients); they read these totals instead.
-- Increments, not recomputed sums: two entries logged at once for one patient each add their own minutes under the
-- row lock of ON CONFLICT, where a recomputation could miss the other's uncommitted entry.
CREATE FUNCTION "care_time_month_add"(patient_id text, service_date date, minutes integer, live boolean, sign integer)
RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "CareTimeMonth" ("patientId", month, minutes, "liveEntries")
  VALUES (patient_id, date_trunc('month', service_date)::date, sign * minutes, sign * live::integer)
  ON CONFLICT ("patientId", month) DO UPDATE
    SET minutes = "CareTimeMonth".minutes + EXCLUDED.minutes, "liveEntries" = "CareTimeMonth"."liveEntries" + EXCLUDED."liveEntries"
$$;

-- An entry counts toward its patient's month while it is not removed: a removal (deletedAt set) or any change takes
-- the old row's share out and puts the new row's in.
CREATE FUNCTION "care_time_month_entry"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    IF OLD."deletedAt" IS NULL THEN
      PERFORM "care_time_month_add"(OLD."patientId", OLD."serviceDate", OLD.minutes, OLD.interactive, -1);
    END IF;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    IF NEW."deletedAt" IS NULL THEN
      PERFORM "care_time_month_add"(NEW."patientId", NEW."serviceDate", NEW.minutes, NEW.interactive, 1);
    END IF;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "CareTimeEntry_month"
  AFTER INSERT OR UPDATE OR DELETE ON "CareTimeEntry"
  FOR EACH ROW EXECUTE FUNCTION "care_time_month_entry"();

-- Entries logged before this migration.
INSERT INTO "CareTimeMonth" ("patientId", month, minutes, "liveEntries")
SELECT "patientId", date_trunc('month', "serviceDate")::date, sum(minutes), count(*) FILTER (WHERE interactive)
  FROM "CareTimeEntry" WHERE "deletedAt" IS NULL
 GROUP BY 1, 2;
