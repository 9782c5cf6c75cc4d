-- migrate:up
-- DropIndex
DROP INDEX "AuditLog_createdAt_idx";

-- CreateTable
CREATE TABLE "AuditDailyCount" (
    "day" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "AuditDailyCount_pkey" PRIMARY KEY ("day","action")
);

-- CreateTable
CREATE TABLE "UserTotals" (
    "id" INTEGER NOT NULL,
    "users" INTEGER NOT NULL,
    "deactivated" INTEGER NOT NULL,
    "unverified" INTEGER NOT NULL,
    "withTwoFactor" INTEGER NOT NULL,

    CONSTRAINT "UserTotals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "User_lockedUntil_idx" ON "User"("lockedUntil");

-- CreateIndex
CREATE INDEX "User_lastLoginAt_idx" ON "User"("lastLoginAt");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_id_idx" ON "AuditLog"("createdAt", "id");


-- Hand-written below (Prisma's schema cannot describe triggers, extensions or trigram indexes).

-- The daily roll-up of the audit trail, kept in the transaction of every write to it.
INSERT INTO "AuditDailyCount" ("day", "action", "count")
    SELECT to_char("createdAt", 'YYYY-MM-DD'), "action", COUNT(*) FROM "AuditLog"
    GROUP BY to_char("createdAt", 'YYYY-MM-DD'), "action";

CREATE FUNCTION "AuditLog_daily_count"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE "AuditDailyCount" SET "count" = "count" - 1
            WHERE "day" = to_char(OLD."createdAt", 'YYYY-MM-DD') AND "action" = OLD."action";
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO "AuditDailyCount" ("day", "action", "count") VALUES (to_char(NEW."createdAt", 'YYYY-MM-DD'), NEW."action", 1)
            ON CONFLICT ("day", "action") DO UPDATE SET "count" = "AuditDailyCount"."count" + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "AuditLog_daily" AFTER INSERT OR DELETE OR UPDATE OF "createdAt", "action" ON "AuditLog"
    FOR EACH ROW EXECUTE FUNCTION "AuditLog_daily_count"();

-- The account totals (one row), kept in the transaction of every write to User.
INSERT INTO "UserTotals" ("id", "users", "deactivated", "unverified", "withTwoFactor")
    SELECT 1, COUNT(*),
        COALESCE(SUM(CASE WHEN "isActive" THEN 0 ELSE 1 END), 0),
        COALESCE(SUM(CASE WHEN "emailVerified" IS NULL THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN "twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END), 0)
    FROM "User";

CREATE FUNCTION "User_totals_count"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta_users integer := 0;
    delta_deactivated integer := 0;
    delta_unverified integer := 0;
    delta_with_two_factor integer := 0;
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        delta_users := delta_users + 1;
        delta_deactivated := delta_deactivated + (CASE WHEN NEW."isActive" THEN 0 ELSE 1 END);
        delta_unverified := delta_unverified + (CASE WHEN NEW."emailVerified" IS NULL THEN 1 ELSE 0 END);
        delta_with_two_factor := delta_with_two_factor + (CASE WHEN NEW."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        delta_users := delta_users - 1;
        delta_deactivated := delta_deactivated - (CASE WHEN OLD."isActive" THEN 0 ELSE 1 END);
        delta_unverified := delta_unverified - (CASE WHEN OLD."emailVerified" IS NULL THEN 1 ELSE 0 END);
        delta_with_two_factor := delta_with_two_factor - (CASE WHEN OLD."twoFactorEnabledAt" IS NOT NULL THEN 1 ELSE 0 END);
    END IF;
    IF delta_users <> 0 OR delta_deactivated <> 0 OR delta_unverified <> 0 OR delta_with_two_factor <> 0 THEN
        UPDATE "UserTotals" SET
            "users" = "UserTotals"."users" + delta_users,
            "deactivated" = "UserTotals"."deactivated" + delta_deactivated,
            "unverified" = "UserTotals"."unverified" + delta_unverified,
            "withTwoFactor" = "UserTotals"."withTwoFactor" + delta_with_two_factor
        WHERE "id" = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER "User_totals" AFTER INSERT OR DELETE OR UPDATE OF "isActive", "emailVerified", "twoFactorEnabledAt" ON "User"
    FOR EACH ROW EXECUTE FUNCTION "User_totals_count"();

-- User search: trigram indexes (pg_trgm, a trusted extension: the database's owner may create it)
-- over email, username and name folded as the application folds a query: decomposed (NFD), the
-- combining accents U+0300–U+036F removed, lower case.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE FUNCTION "mastoc_fold"(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(value, NFD), '[\u0300-\u036f]', '', 'g'));

CREATE INDEX "User_search_idx" ON "User" USING gin (
    "mastoc_fold"("email") gin_trgm_ops, "mastoc_fold"("username") gin_trgm_ops, "mastoc_fold"("name") gin_trgm_ops
);

-- migrate:down
