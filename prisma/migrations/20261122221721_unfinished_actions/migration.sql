-- CreateTable
CREATE TABLE "UnfinishedAction" (
    "startedEventId" BIGINT NOT NULL,
    "requestId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnfinishedAction_pkey" PRIMARY KEY ("startedEventId")
);

-- CreateIndex
CREATE INDEX "UnfinishedAction_requestId_idx" ON "UnfinishedAction"("requestId");

