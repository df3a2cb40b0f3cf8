-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('admin', 'coordinator', 'clinician');

-- CreateEnum
CREATE TYPE "ProgramStatus" AS ENUM ('enrolled', 'offboarded');

-- CreateEnum
CREATE TYPE "Vendor" AS ENUM ('tenovi', 'validic', 'smartz');

-- CreateEnum
CREATE TYPE "DeviceCategory" AS ENUM ('blood_pressure', 'glucometer', 'scale', 'pulse_oximeter', 'thermometer', 'peak_flow', 'pillbox', 'watch', 'smart_diaper', 'gateway', 'other');

-- CreateEnum
CREATE TYPE "Connectivity" AS ENUM ('gateway', 'cellular', 'mesh');

-- CreateEnum
CREATE TYPE "DeviceLifecycle" AS ENUM ('in_stock', 'assigned', 'shipping', 'delivered', 'active', 'silent', 'disconnected', 'returned');

-- CreateEnum
CREATE TYPE "Fulfiller" AS ENUM ('clinic', 'vendor');

-- CreateEnum
CREATE TYPE "IngestStatus" AS ENUM ('received', 'processed', 'rejected', 'failed');

-- CreateEnum
CREATE TYPE "AlertRuleKind" AS ENUM ('threshold', 'change', 'missing_data');

-- CreateEnum
CREATE TYPE "Comparator" AS ENUM ('less_than', 'greater_than', 'equal_to');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('low', 'medium', 'high', 'critical');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "sessionVersion" INTEGER NOT NULL DEFAULT 0,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" TEXT NOT NULL,
    "mrn" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "dateOfBirth" DATE NOT NULL,
    "phone" TEXT,
    "email" TEXT,
    "addressLine1" TEXT,
    "addressLine2" TEXT,
    "city" TEXT,
    "state" TEXT,
    "zipCode" TEXT,
    "physician" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'America/New_York',
    "smsConsent" BOOLEAN NOT NULL DEFAULT false,
    "status" "ProgramStatus" NOT NULL DEFAULT 'enrolled',
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "offboardedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorIdentity" (
    "id" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "externalId" TEXT NOT NULL,
    "vendorUserId" TEXT,
    "marketplaceTokenEncrypted" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VendorIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Gateway" (
    "id" TEXT NOT NULL,
    "vendor" "Vendor" NOT NULL DEFAULT 'tenovi',
    "gatewayUuid" TEXT NOT NULL,
    "patientId" TEXT,
    "lastSignalStrength" INTEGER,
    "lastCheckInAt" TIMESTAMP(3),
    "firmwareVersion" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Gateway_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "category" "DeviceCategory" NOT NULL,
    "connectivity" "Connectivity" NOT NULL,
    "vendorType" TEXT NOT NULL,
    "imei" TEXT,
    "gatewayId" TEXT,
    "vendorDeviceId" TEXT,
    "lifecycle" "DeviceLifecycle" NOT NULL DEFAULT 'in_stock',
    "vendorStatus" TEXT,
    "patientId" TEXT,
    "firstReadingAt" TIMESTAMP(3),
    "lastReadingAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Device_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviceAssignment" (
    "id" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "endedReason" TEXT,
    "createdById" TEXT,

    CONSTRAINT "DeviceAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeviceEvent" (
    "id" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "fromState" "DeviceLifecycle",
    "toState" "DeviceLifecycle",
    "vendorStatus" TEXT,
    "details" JSONB,
    "actorId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeviceEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shipment" (
    "id" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "deviceId" TEXT,
    "vendor" "Vendor" NOT NULL,
    "fulfiller" "Fulfiller" NOT NULL,
    "isGatewayOnly" BOOLEAN NOT NULL DEFAULT false,
    "existingGatewayUuid" TEXT,
    "status" TEXT NOT NULL,
    "shippingName" TEXT NOT NULL,
    "addressLine1" TEXT NOT NULL,
    "addressLine2" TEXT,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zipCode" TEXT NOT NULL,
    "notifyEmails" TEXT,
    "requireSignature" BOOLEAN NOT NULL DEFAULT false,
    "physician" TEXT,
    "carrier" TEXT,
    "trackingLink" TEXT,
    "shippedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShipmentStatusChange" (
    "id" TEXT NOT NULL,
    "shipmentId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShipmentStatusChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestEvent" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "deliveryId" TEXT,
    "bodySha256" TEXT NOT NULL,
    "payload" JSONB,
    "rawBody" TEXT,
    "status" "IngestStatus" NOT NULL DEFAULT 'received',
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "IngestEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VendorRecord" (
    "id" TEXT NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "vendorRecordId" TEXT NOT NULL,
    "recordType" TEXT NOT NULL,
    "checksum" TEXT,
    "patientId" TEXT,
    "deviceId" TEXT,
    "startTime" TIMESTAMP(3),
    "payload" JSONB NOT NULL,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VendorRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reading" (
    "id" BIGSERIAL NOT NULL,
    "patientId" TEXT,
    "deviceId" TEXT,
    "vendor" "Vendor" NOT NULL,
    "vendorRecordId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "value2" DOUBLE PRECISION,
    "unit" TEXT NOT NULL,
    "measuredAt" TIMESTAMP(3) NOT NULL,
    "utcOffsetSeconds" INTEGER,
    "origin" TEXT NOT NULL DEFAULT 'device',
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "mealContext" TEXT,
    "arrival" TEXT NOT NULL,
    "ingestEventId" BIGINT,
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Reading_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "patientId" TEXT,
    "kind" "AlertRuleKind" NOT NULL,
    "metric" TEXT NOT NULL,
    "unit" TEXT,
    "origin" TEXT,
    "comparator" "Comparator" NOT NULL,
    "thresholdValue" DOUBLE PRECISION NOT NULL,
    "window" TEXT,
    "severity" "Severity" NOT NULL DEFAULT 'medium',
    "message" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "patientId" TEXT NOT NULL,
    "ruleId" TEXT,
    "readingId" BIGINT,
    "severity" "Severity" NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "message" TEXT NOT NULL,
    "triggerEvent" JSONB,
    "assignedToId" TEXT,
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" TEXT,
    "resolvedAt" TIMESTAMP(3),
    "resolvedById" TEXT,
    "resolutionNote" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "actorId" TEXT,
    "actorRole" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "patientId" TEXT,
    "outcome" TEXT NOT NULL,
    "requestId" TEXT,
    "sourceIp" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PushAccessToken" (
    "id" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushAccessToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncCursor" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncCursor_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ClinicSetting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ClinicSetting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SimulatorEntity" (
    "id" TEXT NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SimulatorEntity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SimulatorRequest" (
    "id" BIGSERIAL NOT NULL,
    "vendor" "Vendor" NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "body" JSONB,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimulatorRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");

-- CreateIndex
CREATE UNIQUE INDEX "Patient_mrn_key" ON "Patient"("mrn");

-- CreateIndex
CREATE INDEX "Patient_lastName_firstName_idx" ON "Patient"("lastName", "firstName");

-- CreateIndex
CREATE INDEX "Patient_status_idx" ON "Patient"("status");

-- CreateIndex
CREATE UNIQUE INDEX "VendorIdentity_vendor_externalId_key" ON "VendorIdentity"("vendor", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "VendorIdentity_patientId_vendor_key" ON "VendorIdentity"("patientId", "vendor");

-- CreateIndex
CREATE UNIQUE INDEX "Gateway_gatewayUuid_key" ON "Gateway"("gatewayUuid");

-- CreateIndex
CREATE INDEX "Device_patientId_idx" ON "Device"("patientId");

-- CreateIndex
CREATE INDEX "Device_lifecycle_idx" ON "Device"("lifecycle");

-- CreateIndex
CREATE UNIQUE INDEX "Device_vendor_vendorDeviceId_key" ON "Device"("vendor", "vendorDeviceId");

-- CreateIndex
CREATE UNIQUE INDEX "Device_vendor_imei_key" ON "Device"("vendor", "imei");

-- CreateIndex
CREATE INDEX "DeviceAssignment_deviceId_startedAt_idx" ON "DeviceAssignment"("deviceId", "startedAt");

-- CreateIndex
CREATE INDEX "DeviceAssignment_patientId_idx" ON "DeviceAssignment"("patientId");

-- CreateIndex
CREATE INDEX "DeviceEvent_deviceId_occurredAt_idx" ON "DeviceEvent"("deviceId", "occurredAt");

-- CreateIndex
CREATE INDEX "Shipment_status_updatedAt_idx" ON "Shipment"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "Shipment_patientId_idx" ON "Shipment"("patientId");

-- CreateIndex
CREATE INDEX "ShipmentStatusChange_shipmentId_occurredAt_idx" ON "ShipmentStatusChange"("shipmentId", "occurredAt");

-- CreateIndex
CREATE INDEX "IngestEvent_status_receivedAt_idx" ON "IngestEvent"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "IngestEvent_source_receivedAt_idx" ON "IngestEvent"("source", "receivedAt");

-- CreateIndex
CREATE INDEX "IngestEvent_deliveryId_idx" ON "IngestEvent"("deliveryId");

-- CreateIndex
CREATE INDEX "VendorRecord_patientId_startTime_idx" ON "VendorRecord"("patientId", "startTime");

-- CreateIndex
CREATE UNIQUE INDEX "VendorRecord_vendor_vendorRecordId_key" ON "VendorRecord"("vendor", "vendorRecordId");

-- CreateIndex
CREATE INDEX "Reading_patientId_measuredAt_idx" ON "Reading"("patientId", "measuredAt");

-- CreateIndex
CREATE INDEX "Reading_deviceId_measuredAt_idx" ON "Reading"("deviceId", "measuredAt");

-- CreateIndex
CREATE INDEX "Reading_measuredAt_idx" ON "Reading"("measuredAt");

-- CreateIndex
CREATE UNIQUE INDEX "Reading_vendor_vendorRecordId_metric_key" ON "Reading"("vendor", "vendorRecordId", "metric");

-- CreateIndex
CREATE INDEX "AlertRule_patientId_idx" ON "AlertRule"("patientId");

-- CreateIndex
CREATE INDEX "Alert_status_severity_createdAt_idx" ON "Alert"("status", "severity", "createdAt");

-- CreateIndex
CREATE INDEX "Alert_patientId_createdAt_idx" ON "Alert"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_createdAt_idx" ON "AuditEvent"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_patientId_createdAt_idx" ON "AuditEvent"("patientId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PushAccessToken_tokenHash_key" ON "PushAccessToken"("tokenHash");

-- CreateIndex
CREATE INDEX "PushAccessToken_expiresAt_idx" ON "PushAccessToken"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "SimulatorEntity_vendor_kind_key_key" ON "SimulatorEntity"("vendor", "kind", "key");

-- CreateIndex
CREATE INDEX "SimulatorRequest_vendor_receivedAt_idx" ON "SimulatorRequest"("vendor", "receivedAt");

-- AddForeignKey
ALTER TABLE "VendorIdentity" ADD CONSTRAINT "VendorIdentity_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Gateway" ADD CONSTRAINT "Gateway_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_gatewayId_fkey" FOREIGN KEY ("gatewayId") REFERENCES "Gateway"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Device" ADD CONSTRAINT "Device_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceAssignment" ADD CONSTRAINT "DeviceAssignment_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceAssignment" ADD CONSTRAINT "DeviceAssignment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeviceEvent" ADD CONSTRAINT "DeviceEvent_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Shipment" ADD CONSTRAINT "Shipment_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShipmentStatusChange" ADD CONSTRAINT "ShipmentStatusChange_shipmentId_fkey" FOREIGN KEY ("shipmentId") REFERENCES "Shipment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Reading" ADD CONSTRAINT "Reading_ingestEventId_fkey" FOREIGN KEY ("ingestEventId") REFERENCES "IngestEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AlertRule" ADD CONSTRAINT "AlertRule_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_readingId_fkey" FOREIGN KEY ("readingId") REFERENCES "Reading"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_assignedToId_fkey" FOREIGN KEY ("assignedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

