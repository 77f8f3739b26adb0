-- CreateEnum
CREATE TYPE "BudgetScope" AS ENUM ('workspace', 'group', 'user');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('day', 'week', 'month');

-- AlterTable
ALTER TABLE "Group" ADD COLUMN     "rpm" INTEGER,
ADD COLUMN     "tpm" INTEGER;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "rpm" INTEGER,
ADD COLUMN     "tpm" INTEGER;

-- CreateTable
CREATE TABLE "Budget" (
    "id" UUID NOT NULL,
    "scope" "BudgetScope" NOT NULL,
    "targetId" UUID,
    "amountUsd" DECIMAL(20,10) NOT NULL,
    "period" "BudgetPeriod" NOT NULL,
    "warnPercent" INTEGER NOT NULL DEFAULT 80,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BudgetSpend" (
    "budgetId" UUID NOT NULL,
    "periodStart" TIMESTAMP(3) NOT NULL,
    "spentUsd" DECIMAL(20,10) NOT NULL,

    CONSTRAINT "BudgetSpend_pkey" PRIMARY KEY ("budgetId","periodStart")
);

-- CreateIndex
CREATE INDEX "Budget_scope_targetId_idx" ON "Budget"("scope", "targetId");

-- AddForeignKey
ALTER TABLE "BudgetSpend" ADD CONSTRAINT "BudgetSpend_budgetId_fkey" FOREIGN KEY ("budgetId") REFERENCES "Budget"("id") ON DELETE CASCADE ON UPDATE CASCADE;
