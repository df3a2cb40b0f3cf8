-- CreateIndex
CREATE INDEX "Alert_readingId_idx" ON "Alert"("readingId");

