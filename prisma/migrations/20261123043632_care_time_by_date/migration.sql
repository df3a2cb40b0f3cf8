-- CreateIndex
CREATE INDEX "CareTimeEntry_serviceDate_idx" ON "CareTimeEntry"("serviceDate");

