-- CreateTable
CREATE TABLE "CareTimeEntry" (
    "id" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "serviceDate" DATE NOT NULL,
    "minutes" INTEGER NOT NULL,
    "interactive" BOOLEAN NOT NULL,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CareTimeEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CareTimeEntry_patientId_serviceDate_idx" ON "CareTimeEntry"("patientId", "serviceDate");

-- AddForeignKey
ALTER TABLE "CareTimeEntry" ADD CONSTRAINT "CareTimeEntry_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CareTimeEntry" ADD CONSTRAINT "CareTimeEntry_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

