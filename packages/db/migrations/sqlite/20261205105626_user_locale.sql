-- migrate:up
-- AlterTable
ALTER TABLE "User" ADD COLUMN "locale" TEXT;
ALTER TABLE "User" ADD COLUMN "timeZone" TEXT;


-- migrate:down
