-- migrate:up
-- DropIndex
DROP INDEX "AuthSession_lastUsedAt_userId_idx";

-- AlterTable
ALTER TABLE "User" ADD COLUMN "lastActiveAt" DATETIME;

-- CreateTable
CREATE TABLE "UserActiveDay" (
    "day" TEXT NOT NULL PRIMARY KEY,
    "users" INTEGER NOT NULL
);

-- Hand-written below (Prisma's schema cannot describe triggers).

-- Backfill: the later of the last sign-in and the last use of any of the user's sessions.
UPDATE "User" SET "lastActiveAt" = (SELECT MAX(s."lastUsedAt") FROM "AuthSession" s WHERE s."userId" = "User"."id");
UPDATE "User" SET "lastActiveAt" = "lastLoginAt"
    WHERE "lastLoginAt" IS NOT NULL AND ("lastActiveAt" IS NULL OR "lastActiveAt" < "lastLoginAt");

-- How many users were last active on each UTC day, kept in the transaction of every write to User.
INSERT INTO "UserActiveDay" ("day", "users")
    SELECT substr("lastActiveAt", 1, 10), COUNT(*) FROM "User" WHERE "lastActiveAt" IS NOT NULL
    GROUP BY substr("lastActiveAt", 1, 10);

CREATE TRIGGER "User_active_insert" AFTER INSERT ON "User" WHEN NEW."lastActiveAt" IS NOT NULL BEGIN
    INSERT INTO "UserActiveDay" ("day", "users") VALUES (substr(NEW."lastActiveAt", 1, 10), 1)
        ON CONFLICT ("day") DO UPDATE SET "users" = "users" + 1;
END;

CREATE TRIGGER "User_active_delete" AFTER DELETE ON "User" WHEN OLD."lastActiveAt" IS NOT NULL BEGIN
    UPDATE "UserActiveDay" SET "users" = "users" - 1 WHERE "day" = substr(OLD."lastActiveAt", 1, 10);
END;

CREATE TRIGGER "User_active_update" AFTER UPDATE OF "lastActiveAt" ON "User"
    WHEN substr(OLD."lastActiveAt", 1, 10) IS NOT substr(NEW."lastActiveAt", 1, 10) BEGIN
    UPDATE "UserActiveDay" SET "users" = "users" - 1 WHERE "day" = substr(OLD."lastActiveAt", 1, 10);
    INSERT INTO "UserActiveDay" ("day", "users") SELECT substr(NEW."lastActiveAt", 1, 10), 1 WHERE NEW."lastActiveAt" IS NOT NULL
        ON CONFLICT ("day") DO UPDATE SET "users" = "users" + 1;
END;

-- migrate:down
