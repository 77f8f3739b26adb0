-- CreateEnum
CREATE TYPE "TeeVerification" AS ENUM ('pending', 'verified', 'failed');

-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "requireVerified" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "UsageRecord" ADD COLUMN     "verification" "TeeVerification";

-- CreateTable
CREATE TABLE "TeeAttestation" (
    "id" UUID NOT NULL,
    "modelId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "signingAddresses" TEXT[],
    "checks" JSONB NOT NULL,
    "report" JSONB NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TeeAttestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageVerification" (
    "messageId" TEXT NOT NULL,
    "chatId" UUID NOT NULL,
    "usageId" UUID,
    "modelId" TEXT NOT NULL,
    "completionId" TEXT NOT NULL,
    "status" "TeeVerification" NOT NULL,
    "required" BOOLEAN NOT NULL DEFAULT false,
    "signingAddress" TEXT,
    "requestSha256" TEXT,
    "responseSha256" TEXT,
    "checks" JSONB NOT NULL,
    "evidence" JSONB,
    "attestationId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageVerification_pkey" PRIMARY KEY ("messageId")
);

-- CreateIndex
CREATE INDEX "TeeAttestation_modelId_fetchedAt_idx" ON "TeeAttestation"("modelId", "fetchedAt" DESC);

-- CreateIndex
CREATE INDEX "MessageVerification_chatId_idx" ON "MessageVerification"("chatId");

-- CreateIndex
CREATE INDEX "MessageVerification_status_updatedAt_idx" ON "MessageVerification"("status", "updatedAt");

-- AddForeignKey
ALTER TABLE "MessageVerification" ADD CONSTRAINT "MessageVerification_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageVerification" ADD CONSTRAINT "MessageVerification_attestationId_fkey" FOREIGN KEY ("attestationId") REFERENCES "TeeAttestation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
