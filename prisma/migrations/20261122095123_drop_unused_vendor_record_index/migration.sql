-- DropIndex
DROP INDEX "VendorRecord_patientId_startTime_idx";

