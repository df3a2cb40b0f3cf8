-- AlterTable
ALTER TABLE "CareTimeEntry" ADD COLUMN     "deletedAt" TIMESTAMP(3);

