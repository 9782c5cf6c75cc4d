import type { Db } from "@mastoc/db";
import { findApiKeyCaller } from "./caller-lookup";
import { sha256 } from "./tokens";

export const API_KEY_PREFIX = "mk_";
const TOUCH_INTERVAL_MS = 60_000;

/** The owner behind an API key, or null for an unknown, revoked or expired key or an inactive owner. */
export async function resolveApiKey(db: Db, key: string) {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 128) return null;
  const now = new Date();
  const found = await findApiKeyCaller(db, sha256(key), now);
  if (!found) return null;
  if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db.apiKey.update({ where: { id: found.apiKeyId }, data: { lastUsedAt: now } });
  }
  return { user: found.user, apiKeyId: found.apiKeyId };
}
