import type { Db } from "@mastoc/db";
import { contextUserSelect } from "../selects";
import { sha256 } from "./tokens";

export const API_KEY_PREFIX = "mk_";
const TOUCH_INTERVAL_MS = 60_000;

/** The owner behind an API key, or null for an unknown, revoked or expired key or an inactive owner. */
export async function resolveApiKey(db: Db, key: string) {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 128) return null;
  const now = new Date();
  const row = await db.apiKey.findUnique({
    where: { keyHash: sha256(key) },
    select: { id: true, revokedAt: true, expiresAt: true, lastUsedAt: true, user: { select: contextUserSelect } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.user.isActive) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { user: row.user, apiKeyId: row.id };
}
