-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Patient_enrolledAt_idx" ON "Patient"("enrolledAt");

-- CreateIndex
CREATE INDEX "Patient_firstName_trgm_idx" ON "Patient" USING GIN ("firstName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Patient_lastName_trgm_idx" ON "Patient" USING GIN ("lastName" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Patient_mrn_trgm_idx" ON "Patient" USING GIN ("mrn" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Patient_phone_trgm_idx" ON "Patient" USING GIN ("phone" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Device_imei_trgm_idx" ON "Device" USING GIN ("imei" gin_trgm_ops);

