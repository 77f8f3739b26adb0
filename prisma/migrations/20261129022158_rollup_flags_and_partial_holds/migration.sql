-- AlterTable
ALTER TABLE "BudgetSpend" ADD COLUMN     "partialUsageId" UUID;

-- AlterTable
ALTER TABLE "UsageRecord" ADD COLUMN     "rolledUp" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "UsageRollup" DROP COLUMN "rolledUntil";

-- CreateIndex
CREATE INDEX "UsageRecord_rolledUp_createdAt_idx" ON "UsageRecord"("rolledUp", "createdAt");


-- The rollup now follows the rows' own rolledUp flag: start it afresh (the next sweep rebuilds it).
DELETE FROM "UsageDaily";
DELETE FROM "UsageTtftDaily";
DELETE FROM "UsageRollup";
