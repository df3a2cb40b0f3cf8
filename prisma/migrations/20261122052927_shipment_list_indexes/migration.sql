-- CreateIndex
CREATE INDEX "Shipment_updatedAt_idx" ON "Shipment"("updatedAt");

-- CreateIndex
CREATE INDEX "Shipment_deviceId_createdAt_idx" ON "Shipment"("deviceId", "createdAt");

