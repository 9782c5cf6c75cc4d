// Security and catalogue figures for the dashboards. Their cost does not grow with the trail or
// the accounts: the daily series read the roll-up `AuditDailyCount` (a row per UTC day and action,
// kept by a trigger in the transaction of each audit write, so today is exact), the account
// totals read `UserTotals` (kept by triggers on User), `UserActiveDay` (users by the day they
// were last active, kept by a trigger on User) and short index ranges (locked now, passkeys).
import { Prisma, type Db } from "@mastoc/db";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The failed sign-ins: a wrong password (or unknown account), and a wrong second-factor code. */
export const FAILED_SIGN_IN_ACTIONS = ["auth.login.failure", "auth.mfa.failure"];

/** Which audit actions each security series counts. */
export const securitySeriesActions = {
  signIns: ["auth.login.success"],
  failedSignIns: FAILED_SIGN_IN_ACTIONS,
  lockouts: ["auth.lockout"],
  registrations: ["user.register"],
  passwordResets: ["auth.password_reset.confirm"],
} as const satisfies Record<string, readonly string[]>;

/** Which audit actions each catalogue series counts. */
export const climbSeriesActions = {
  created: ["climb.create"],
  updated: ["climb.update"],
  deleted: ["climb.delete"],
} as const satisfies Record<string, readonly string[]>;

type SeriesActions = Record<string, readonly string[]>;
export type DailyCounts<Names extends string> = { date: string } & Record<Names, number>;

/** The period of `days` UTC days ending today: from the start of the first day to `now`. */
export function statsPeriod(days: number, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: new Date(today - (days - 1) * DAY_MS), to: now, days };
}

const dayKey = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * Counts of the audit actions per series and UTC day since `from`, every day of the period
 * present (zero when nothing happened), oldest first.
 */
export async function dailySeries<Actions extends SeriesActions>(
  db: Db,
  actions: Actions,
  period: { from: Date; days: number },
): Promise<DailyCounts<Extract<keyof Actions, string>>[]> {
  const names = Object.keys(actions) as Extract<keyof Actions, string>[];
  const seriesOf = new Map(names.flatMap((name) => actions[name]!.map((action) => [action, name] as const)));
  const rows = await db.$queryRaw<{ day: string; action: string; count: number | bigint }[]>`
    SELECT "day", "action", "count" FROM "AuditDailyCount"
    WHERE "action" IN (${Prisma.join([...seriesOf.keys()])}) AND "day" >= ${dayKey(period.from.getTime())}`;

  const series = new Map<string, DailyCounts<Extract<keyof Actions, string>>>();
  for (let index = 0; index < period.days; index++) {
    const date = dayKey(period.from.getTime() + index * DAY_MS);
    series.set(date, { date, ...Object.fromEntries(names.map((name) => [name, 0])) } as DailyCounts<
      Extract<keyof Actions, string>
    >);
  }
  for (const row of rows) {
    const entry = series.get(row.day);
    const name = seriesOf.get(row.action);
    // A day after the period (a clock ahead of the database's) is left out rather than misplaced.
    if (entry && name) (entry as Record<string, number | string>)[name] = Number(entry[name]) + Number(row.count);
  }
  return [...series.values()];
}

/**
 * The account totals: the counters of `UserTotals`, an index range for what depends on the time
 * (locked now), the days of `UserActiveDay` since the period's first (a user is active in the
 * period when they signed in or used a session since its start: their `lastActiveAt` falls on one
 * of its days) and the passkeys.
 */
async function accountTotals(db: Db, period: { from: Date }, now: Date) {
  const [row] = await db.$queryRaw<Record<string, number | bigint | null>[]>`
    SELECT
      t."users", t."deactivated", t."unverified", t."withTwoFactor",
      (SELECT COUNT(*) FROM "User" WHERE "lockedUntil" > ${now}) AS "lockedAccounts",
      (SELECT COALESCE(SUM("users"), 0) FROM "UserActiveDay" WHERE "day" >= ${dayKey(period.from.getTime())})
        AS "activeUsers",
      (SELECT COUNT(DISTINCT "userId") FROM "Passkey") AS "withPasskey",
      (SELECT COUNT(DISTINCT p."userId") FROM "Passkey" p JOIN "User" u ON u."id" = p."userId"
       WHERE u."twoFactorEnabledAt" IS NULL) AS "passkeyOnly"
    FROM "UserTotals" t WHERE t."id" = 1`;
  const value = (name: string) => Number(row?.[name] ?? 0);
  const users = value("users");
  const withTwoFactor = value("withTwoFactor");
  const withSecondFactor = withTwoFactor + value("passkeyOnly");
  return {
    users,
    activeUsers: value("activeUsers"),
    deactivatedUsers: value("deactivated"),
    lockedAccounts: value("lockedAccounts"),
    unverifiedEmails: value("unverified"),
    withTwoFactor,
    withPasskey: value("withPasskey"),
    withSecondFactor,
    secondFactorShare: users === 0 ? 0 : Math.round((withSecondFactor / users) * 1000) / 1000,
  };
}

/** The addresses with the most failed sign-ins since `since`, most first (ties by address). */
async function topFailedAddresses(db: Db, since: Date) {
  const groups = await db.auditLog.groupBy({
    by: ["ip"],
    where: { action: { in: FAILED_SIGN_IN_ACTIONS }, createdAt: { gte: since }, ip: { not: null } },
    _count: { _all: true },
    _max: { createdAt: true },
    orderBy: [{ _count: { ip: "desc" } }, { ip: "asc" }],
    take: 10,
  });
  return groups.map((group) => ({
    ip: group.ip!,
    failures: group._count._all,
    lastAt: group._max.createdAt!,
  }));
}

/** What `admin.stats` answers: account totals, the daily security series and the top failing addresses. */
export async function securityStats(db: Db, days: number, now = new Date()) {
  const period = statsPeriod(days, now);
  const [totals, activeSessions, series, topAddresses] = await Promise.all([
    accountTotals(db, period, now),
    db.authSession.count({ where: { revokedAt: null, expiresAt: { gt: now } } }),
    dailySeries(db, securitySeriesActions, period),
    topFailedAddresses(db, new Date(now.getTime() - DAY_MS)),
  ]);
  return {
    days,
    from: period.from,
    to: period.to,
    totals: { ...totals, activeSessions },
    series,
    topFailedAddresses: topAddresses,
  };
}

/** What `climbs.stats` answers: the catalogue's size and its daily changes. */
export async function climbStats(db: Db, days: number, now = new Date()) {
  const period = statsPeriod(days, now);
  const [climbs, series] = await Promise.all([db.climb.count(), dailySeries(db, climbSeriesActions, period)]);
  const sum = (name: keyof typeof climbSeriesActions) => series.reduce((total, day) => total + day[name], 0);
  return {
    days,
    from: period.from,
    to: period.to,
    totals: { climbs, created: sum("created"), updated: sum("updated"), deleted: sum("deleted") },
    series,
  };
}
