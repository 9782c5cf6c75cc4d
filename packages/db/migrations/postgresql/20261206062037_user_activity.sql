-- migrate:up
-- DropIndex
DROP INDEX "AuthSession_lastUsedAt_userId_idx";

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "lastActiveAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "UserActiveDay" (
    "day" TEXT NOT NULL,
    "users" INTEGER NOT NULL,

    CONSTRAINT "UserActiveDay_pkey" PRIMARY KEY ("day")
);

-- Hand-written below (Prisma's schema cannot describe triggers).

-- Backfill: the later of the last sign-in and the last use of any of the user's sessions.
UPDATE "User" SET "lastActiveAt" = (SELECT MAX(s."lastUsedAt") FROM "AuthSession" s WHERE s."userId" = "User"."id");
UPDATE "User" SET "lastActiveAt" = "lastLoginAt"
    WHERE "lastLoginAt" IS NOT NULL AND ("lastActiveAt" IS NULL OR "lastActiveAt" < "lastLoginAt");

-- How many users were last active on each UTC day, kept in the transaction of every write to User.
INSERT INTO "UserActiveDay" ("day", "users")
    SELECT to_char("lastActiveAt", 'YYYY-MM-DD'), COUNT(*) FROM "User" WHERE "lastActiveAt" IS NOT NULL
    GROUP BY to_char("lastActiveAt", 'YYYY-MM-DD');

CREATE FUNCTION "User_active_day"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') AND OLD."lastActiveAt" IS NOT NULL THEN
        UPDATE "UserActiveDay" SET "users" = "users" - 1 WHERE "day" = to_char(OLD."lastActiveAt", 'YYYY-MM-DD');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."lastActiveAt" IS NOT NULL THEN
        INSERT INTO "UserActiveDay" ("day", "users") VALUES (to_char(NEW."lastActiveAt", 'YYYY-MM-DD'), 1)
            ON CONFLICT ("day") DO UPDATE SET "users" = "UserActiveDay"."users" + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "User_active_insert" AFTER INSERT ON "User"
    FOR EACH ROW WHEN (NEW."lastActiveAt" IS NOT NULL) EXECUTE FUNCTION "User_active_day"();
CREATE TRIGGER "User_active_delete" AFTER DELETE ON "User"
    FOR EACH ROW WHEN (OLD."lastActiveAt" IS NOT NULL) EXECUTE FUNCTION "User_active_day"();
CREATE TRIGGER "User_active_update" AFTER UPDATE OF "lastActiveAt" ON "User"
    FOR EACH ROW WHEN (OLD."lastActiveAt"::date IS DISTINCT FROM NEW."lastActiveAt"::date) EXECUTE FUNCTION "User_active_day"();

-- migrate:down
