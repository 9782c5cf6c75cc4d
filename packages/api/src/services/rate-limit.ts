import type { Db } from "@mastoc/db";
import { tooManyRequests, type Text } from "../errors";

// Fixed-window counters in the database, so every server instance shares them. Counting and
// deciding are one statement: an attempt first takes its place in the window (an atomic upsert that
// returns the new count), then the caller compares that count with its limit. Concurrent requests
// therefore each see a distinct count, and a burst cannot slip past the limit on a stale read.

export type Window = { count: number; resetAt: Date };

/**
 * Counts one event against `key` in a window of `windowSeconds` (a new window starts when the last
 * one has ended) and returns the window after counting, in one statement.
 */
export async function countEvent(db: Db, key: string, windowSeconds: number, now = new Date()): Promise<Window> {
  const resetAt = new Date(now.getTime() + windowSeconds * 1000);
  const rows = await db.$queryRaw<{ count: number | bigint; resetAt: Date | string }[]>`
    INSERT INTO "RateLimit" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN 1 ELSE "RateLimit"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimit"."resetAt" <= ${now} THEN ${resetAt} ELSE "RateLimit"."resetAt" END
    RETURNING "count", "resetAt"`;
  const row = rows[0]!;
  return { count: Number(row.count), resetAt: new Date(row.resetAt) };
}

/** Takes back one event counted by `countEvent` (an attempt that turned out to be legitimate). */
export async function uncountEvent(db: Db, key: string): Promise<void> {
  await db.rateLimit.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

export function secondsUntil(date: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000));
}

/**
 * An answer a caller may get wrong a few times (a password or a code confirming a change): the
 * attempt takes its place in the window of `key` before `attempt` checks it, more than `limit` in
 * the window are refused (429), and a right answer (`attempt` returning) takes its count back.
 * A wrong answer is `attempt` throwing.
 */
export async function withinFailureBudget<T>(
  db: Db,
  budget: { key: string; limit: number; windowSeconds: number; refusal: Text },
  attempt: () => Promise<T>,
): Promise<T> {
  const window = await countEvent(db, budget.key, budget.windowSeconds);
  if (window.count > budget.limit) throw tooManyRequests(budget.refusal, secondsUntil(window.resetAt));
  const result = await attempt();
  await uncountEvent(db, budget.key);
  return result;
}
