-- CreateTable
CREATE TABLE "UsageDaily" (
    "day" DATE NOT NULL,
    "userId" UUID NOT NULL,
    "modelId" TEXT NOT NULL,
    "status" "UsageStatus" NOT NULL,
    "groupKey" TEXT NOT NULL,
    "groupIds" UUID[],
    "requests" INTEGER NOT NULL,
    "promptTokens" BIGINT NOT NULL,
    "completionTokens" BIGINT NOT NULL,
    "costUsd" DECIMAL(24,10) NOT NULL,

    CONSTRAINT "UsageDaily_pkey" PRIMARY KEY ("day","userId","modelId","status","groupKey")
);

-- CreateTable
CREATE TABLE "UsageTtftDaily" (
    "day" DATE NOT NULL,
    "status" "UsageStatus" NOT NULL,
    "ttftMs" INTEGER NOT NULL,
    "requests" INTEGER NOT NULL,

    CONSTRAINT "UsageTtftDaily_pkey" PRIMARY KEY ("day","status","ttftMs")
);

-- CreateTable
CREATE TABLE "UsageRollup" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "timeZone" TEXT NOT NULL,
    "rolledUntil" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageDaily_userId_day_idx" ON "UsageDaily"("userId", "day");
