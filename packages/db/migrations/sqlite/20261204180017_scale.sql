-- migrate:up
-- DropIndex
DROP INDEX "AuditLog_createdAt_idx";

-- CreateTable
CREATE TABLE "AuditDailyCount" (
    "day" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("day", "action")
);

-- CreateTable
CREATE TABLE "UserTotals" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "users" INTEGER NOT NULL,
    "deactivated" INTEGER NOT NULL,
    "unverified" INTEGER NOT NULL,
    "withTwoFactor" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "User_lockedUntil_idx" ON "User"("lockedUntil");

-- CreateIndex
CREATE INDEX "User_lastLoginAt_idx" ON "User"("lastLoginAt");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_id_idx" ON "AuditLog"("createdAt", "id");


-- Hand-written below (Prisma's schema cannot describe triggers or full-text tables).

-- The daily roll-up of the audit trail, kept in the transaction of every write to it.
INSERT INTO "AuditDailyCount" ("day", "action", "count")
    SELECT substr("createdAt", 1, 10), "action", COUNT(*) FROM "AuditLog" GROUP BY substr("createdAt", 1, 10), "action";

CREATE TRIGGER "AuditLog_daily_insert" AFTER INSERT ON "AuditLog" BEGIN
    INSERT INTO "AuditDailyCount" ("day", "action", "count") VALUES (substr(NEW."createdAt", 1, 10), NEW."action", 1)
        ON CONFLICT ("day", "action") DO UPDATE SET "count" = "count" + 1;
END;

CREATE TRIGGER "AuditLog_daily_delete" AFTER DELETE ON "AuditLog" BEGIN
    UPDATE "AuditDailyCount" SET "count" = "count" - 1
        WHERE "day" = substr(OLD."createdAt", 1, 10) AND "action" = OLD."action";
END;

CREATE TRIGGER "AuditLog_daily_update" AFTER UPDATE OF "createdAt", "action" ON "AuditLog" BEGIN
    UPDATE "AuditDailyCount" SET "count" = "count" - 1
        WHERE "day" = substr(OLD."createdAt", 1, 10) AND "action" = OLD."action";
    INSERT INTO "AuditDailyCount" ("day", "action", "count") VALUES (substr(NEW."createdAt", 1, 10), NEW."action", 1)
        ON CONFLICT ("day", "action") DO UPDATE SET "count" = "count" + 1;
END;

-- The account totals (one row), kept in the transaction of every write to User.
INSERT INTO "UserTotals" ("id", "users", "deactivated", "unverified", "withTwoFactor")
    SELECT 1, COUNT(*),
        COALESCE(SUM(CASE WHEN "isActive" THEN 0 ELSE 1 END), 0),
        COALESCE(SUM(CASE WHEN "emailVerified" IS NULL THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN "twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END), 0)
    FROM "User";

CREATE TRIGGER "User_totals_insert" AFTER INSERT ON "User" BEGIN
    UPDATE "UserTotals" SET
        "users" = "users" + 1,
        "deactivated" = "deactivated" + (CASE WHEN NEW."isActive" THEN 0 ELSE 1 END),
        "unverified" = "unverified" + (CASE WHEN NEW."emailVerified" IS NULL THEN 1 ELSE 0 END),
        "withTwoFactor" = "withTwoFactor" + (CASE WHEN NEW."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END)
    WHERE "id" = 1;
END;

CREATE TRIGGER "User_totals_delete" AFTER DELETE ON "User" BEGIN
    UPDATE "UserTotals" SET
        "users" = "users" - 1,
        "deactivated" = "deactivated" - (CASE WHEN OLD."isActive" THEN 0 ELSE 1 END),
        "unverified" = "unverified" - (CASE WHEN OLD."emailVerified" IS NULL THEN 1 ELSE 0 END),
        "withTwoFactor" = "withTwoFactor" - (CASE WHEN OLD."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END)
    WHERE "id" = 1;
END;

CREATE TRIGGER "User_totals_update" AFTER UPDATE OF "isActive", "emailVerified", "twoFactorEnabledAt" ON "User" BEGIN
    UPDATE "UserTotals" SET
        "deactivated" = "deactivated" + (CASE WHEN NEW."isActive" THEN 0 ELSE 1 END) - (CASE WHEN OLD."isActive" THEN 0 ELSE 1 END),
        "unverified" = "unverified" + (CASE WHEN NEW."emailVerified" IS NULL THEN 1 ELSE 0 END)
            - (CASE WHEN OLD."emailVerified" IS NULL THEN 1 ELSE 0 END),
        "withTwoFactor" = "withTwoFactor" + (CASE WHEN NEW."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END)
            - (CASE WHEN OLD."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END)
    WHERE "id" = 1;
END;

-- User search: a trigram full-text index over email, username and name (case and accents
-- ignored), an external-content FTS5 table over User's rowids, kept by triggers.
CREATE VIRTUAL TABLE "UserSearch" USING fts5(
    "email", "username", "name", content = 'User', tokenize = 'trigram remove_diacritics 1'
);
INSERT INTO "UserSearch" ("UserSearch") VALUES ('rebuild');

CREATE TRIGGER "User_search_insert" AFTER INSERT ON "User" BEGIN
    INSERT INTO "UserSearch" ("rowid", "email", "username", "name") VALUES (NEW."rowid", NEW."email", NEW."username", NEW."name");
END;

CREATE TRIGGER "User_search_delete" AFTER DELETE ON "User" BEGIN
    INSERT INTO "UserSearch" ("UserSearch", "rowid", "email", "username", "name")
        VALUES ('delete', OLD."rowid", OLD."email", OLD."username", OLD."name");
END;

CREATE TRIGGER "User_search_update" AFTER UPDATE OF "email", "username", "name" ON "User" BEGIN
    INSERT INTO "UserSearch" ("UserSearch", "rowid", "email", "username", "name")
        VALUES ('delete', OLD."rowid", OLD."email", OLD."username", OLD."name");
    INSERT INTO "UserSearch" ("rowid", "email", "username", "name") VALUES (NEW."rowid", NEW."email", NEW."username", NEW."name");
END;

-- migrate:down
