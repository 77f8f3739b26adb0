-- AlterTable
ALTER TABLE "Chat" ADD COLUMN     "settings" JSONB;
