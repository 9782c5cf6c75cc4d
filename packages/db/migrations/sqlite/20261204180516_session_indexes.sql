-- migrate:up
-- CreateIndex
CREATE INDEX "AuthSession_lastUsedAt_idx" ON "AuthSession"("lastUsedAt");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");


-- migrate:down
