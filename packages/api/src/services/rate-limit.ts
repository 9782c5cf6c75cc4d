import type { Db } from "@mastoc/db";

// Fixed-window counters in the database, so every server instance shares them.

export type Window = { count: number; resetAt: Date };

/** The live window of a key, or null when none is running. */
export async function currentWindow(db: Db, key: string, now = new Date()): Promise<Window | null> {
  const row = await db.rateLimit.findUnique({ where: { key }, select: { count: true, resetAt: true } });
  return row && row.resetAt > now ? row : null;
}

/** Counts one event against `key` in a window of `windowSeconds`; returns the window after counting. */
export async function countEvent(db: Db, key: string, windowSeconds: number, now = new Date()): Promise<Window> {
  await db.rateLimit.deleteMany({ where: { key, resetAt: { lte: now } } });
  const create = { key, count: 1, resetAt: new Date(now.getTime() + windowSeconds * 1000) };
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.rateLimit.upsert({
        where: { key },
        create,
        update: { count: { increment: 1 } },
        select: { count: true, resetAt: true },
      });
    } catch (error) {
      // Two instances created the same window at once: the row exists now, so count again.
      if ((error as { code?: string }).code !== "P2002" || attempt > 2) throw error;
    }
  }
}

export function secondsUntil(date: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000));
}

export async function clearWindow(db: Db, key: string): Promise<void> {
  await db.rateLimit.deleteMany({ where: { key } });
}
