-- AlterTable
ALTER TABLE "Patient" ADD COLUMN     "careManagerId" TEXT;

-- CreateIndex
CREATE INDEX "Patient_careManagerId_idx" ON "Patient"("careManagerId");

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_careManagerId_fkey" FOREIGN KEY ("careManagerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

