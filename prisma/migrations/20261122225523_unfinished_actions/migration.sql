-- CreateTable
CREATE TABLE "UnfinishedAction" (
    "startedEventId" BIGINT NOT NULL,
    "action" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnfinishedAction_pkey" PRIMARY KEY ("startedEventId")
);

