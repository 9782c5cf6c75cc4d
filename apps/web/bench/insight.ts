// The dashboard's figures at size: 10,000 users (with sessions, locks, second factors) and
// 100,000 audit entries over a year, written into the portal's database, then `GET
// /api/v1/admin/stats` timed over HTTP, one request at a time, against `GET /api/v1/auth/me` on the
// same portal as the baseline (the cheapest authenticated request).
import { performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { createDatabase, databaseConfig } from "@mastoc/db";
import { LoadFailure } from "./load";

export const INSIGHT_USERS = 10_000;
export const INSIGHT_AUDIT_ENTRIES = 100_000;
const DAY = 24 * 60 * 60 * 1000;
const BATCH = 5_000;

/** A deterministic pseudo-random sequence, so every run seeds the same shape of data. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const ACTIONS: [string, number][] = [
  ["auth.login.success", 0.5],
  ["auth.login.failure", 0.25],
  ["auth.mfa.failure", 0.03],
  ["auth.lockout", 0.02],
  ["user.register", 0.05],
  ["auth.password_reset.confirm", 0.03],
  ["climb.create", 0.04],
  ["auth.logout", 0.08],
];

function pick(next: () => number): string {
  let point = next();
  for (const [action, share] of ACTIONS) {
    if ((point -= share) < 0) return action;
  }
  return ACTIONS[0]![0];
}

/**
 * Lets the event loop poll for I/O once: two turns, since the first may end in the turn already
 * under way. better-sqlite3 answers within the turn it is asked in, so without this the bench's
 * sockets and timers would wait for the whole seeding, and a keep-alive connection that the portal
 * closed meanwhile would be taken for a live one by the next request ("fetch failed").
 */
async function pollOnce(): Promise<void> {
  await nextTurn();
  await nextTurn();
}

/** Writes the users, their sessions and the audit entries through Prisma, in batches. */
export async function seedInsight(databaseUrl: string): Promise<void> {
  const { db } = createDatabase(databaseConfig({ ...process.env, DATABASE_URL: databaseUrl }));
  const next = random(42);
  const now = Date.now();
  try {
    const stamp = now.toString(36);
    for (let start = 0; start < INSIGHT_USERS; start += BATCH) {
      const users = Array.from({ length: Math.min(BATCH, INSIGHT_USERS - start) }, (_, offset) => {
        const index = start + offset;
        return {
          id: `bench-user-${stamp}-${index}`,
          email: `bench-${stamp}-${index}@example.com`,
          username: `bench${stamp}${index}`,
          emailVerified: next() < 0.8 ? new Date(now - next() * 365 * DAY) : null,
          lastLoginAt: next() < 0.6 ? new Date(now - next() * 120 * DAY) : null,
          lockedUntil: next() < 0.01 ? new Date(now + 10 * 60 * 1000) : null,
          twoFactorEnabledAt: next() < 0.2 ? new Date(now - next() * 365 * DAY) : null,
          isActive: next() > 0.02,
          createdAt: new Date(now - next() * 365 * DAY),
        };
      });
      await db.user.createMany({ data: users });
      await db.authSession.createMany({
        data: users.map((user) => ({
          userId: user.id,
          kind: next() < 0.5 ? "web" : "token",
          lastUsedAt: new Date(now - next() * 40 * DAY),
          expiresAt: new Date(now + (next() - 0.3) * 30 * DAY),
        })),
      });
      await pollOnce();
    }
    for (let start = 0; start < INSIGHT_AUDIT_ENTRIES; start += BATCH) {
      await db.auditLog.createMany({
        data: Array.from({ length: Math.min(BATCH, INSIGHT_AUDIT_ENTRIES - start) }, (_, offset) => ({
          action: pick(next),
          actorId: `bench-user-${stamp}-${Math.floor(next() * INSIGHT_USERS)}`,
          targetType: "user",
          targetId: `bench-user-${stamp}-${(start + offset) % INSIGHT_USERS}`,
          ip: `198.51.${Math.floor(next() * 4)}.${Math.floor(next() * 250)}`,
          userAgent: "bench",
          createdAt: new Date(now - next() * 365 * DAY),
        })),
      });
      await pollOnce();
    }
  } finally {
    await db.$disconnect();
  }
}

/** One request's latency, in ms; anything but a 200 fails the bench. */
async function timed(url: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new LoadFailure(`${url}: status ${response.status}: ${body.slice(0, 200)}`);
  return elapsed;
}

export type InsightRound = { baseline: number; stats30: number; stats365: number };

/**
 * One round: the median of `samples` sequential requests of each kind, interleaved (baseline,
 * 30 days, 365 days, baseline, …) so that a change in the machine's load touches all three alike.
 */
export async function insightRound(portalUrl: string, token: string, samples: number): Promise<InsightRound> {
  const figures: Record<keyof InsightRound, number[]> = { baseline: [], stats30: [], stats365: [] };
  const api = `${portalUrl}/api/v1`;
  for (let index = 0; index < samples; index++) {
    figures.baseline.push(await timed(`${api}/auth/me`, token));
    figures.stats30.push(await timed(`${api}/admin/stats?days=30`, token));
    figures.stats365.push(await timed(`${api}/admin/stats?days=365`, token));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    baseline: median(figures.baseline),
    stats30: median(figures.stats30),
    stats365: median(figures.stats365),
  };
}
