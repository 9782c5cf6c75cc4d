-- migrate:up
-- CreateIndex
CREATE INDEX "AuthSession_lastUsedAt_userId_idx" ON "AuthSession"("lastUsedAt", "userId");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");


-- migrate:down
