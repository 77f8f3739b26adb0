-- AlterEnum (pending: reserved before the call; interrupted: ended without a finish or usage)
ALTER TYPE "UsageStatus" ADD VALUE 'pending';
ALTER TYPE "UsageStatus" ADD VALUE 'interrupted';

-- DropForeignKey
ALTER TABLE "UsageRecord" DROP CONSTRAINT "UsageRecord_chatId_fkey";

-- AlterTable
ALTER TABLE "UsageRecord" ADD COLUMN     "cachedTokens" INTEGER,
ADD COLUMN     "completionPrice" DECIMAL(30,18) NOT NULL DEFAULT 0,
ADD COLUMN     "groupIds" UUID[],
ADD COLUMN     "promptPrice" DECIMAL(30,18) NOT NULL DEFAULT 0,
ADD COLUMN     "reasoningTokens" INTEGER,
ADD COLUMN     "reservedUsd" DECIMAL(20,10) NOT NULL DEFAULT 0,
ADD COLUMN     "settledAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "UsageRecord_chatId_idx" ON "UsageRecord"("chatId");

-- CreateIndex
CREATE INDEX "UsageRecord_status_createdAt_idx" ON "UsageRecord"("status", "createdAt");

-- Rows written before this migration were settled when written.
UPDATE "UsageRecord" SET "settledAt" = "createdAt" WHERE "settledAt" IS NULL;
